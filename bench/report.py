"""The results of ``make bench`` as Markdown: targets with PASS or FAIL, then every table."""

import os

from churn import APPROVAL_SECONDS, READ_SECONDS
from load import PAGES, TIMEOUT, WARMUP
from queries import COLD_LIMITS_MS, COLD_REPEAT

TARGETS = {page.name: page for page in PAGES}
GROWTH_LIMITS = {page.name: page.growth for page in PAGES}
STOCK_SHARE = 0.9  # the least share of the stock Django view's requests/s for the ceiling
CHURN_SHARE = 0.9  # the least share of the quiet run's requests/s under churn
CHURN_P99 = 2.0  # the most the p99 may grow under churn
SCALES = (("scale1", "×1"), ("scale10", "×10"))
# The articles sitemap lists every published article: reading the whole table is its plan.
WHOLE_TABLE_PAGES = {"sitemap, articles"}


def table(headers, rows, align):
    """A Markdown table; ``align`` has one letter per column, ``l`` or ``r``."""
    rule = ["---:" if side == "r" else "---" for side in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(passed):
    return "PASS" if passed else "**FAIL**"


def ceiling_rps(measured):
    before, after = measured["loads"]["ceiling"]
    return (before.rps + after.rps) / 2


# Targets -----------------------------------------------------------------------------------


def targets(results):
    """(target, measured, passed) for each target of the phases that ran."""
    rows = []
    for key, label in SCALES:
        if key in results:
            rows += page_targets(results[key], label)
    if "scale1" in results and "scale10" in results:
        for name, (p50_1, p50_10, growth) in growths(results, "cached").items():
            if (limit := GROWTH_LIMITS[name]) is None:
                continue
            if growth is None:
                measured = "no request finished within a run"
            else:
                measured = f"{growth:.2f}× ({p50_1:.1f} → {p50_10:.1f} ms)"
            rows.append(
                (
                    f"{name}: p50 at 10× the data ≤ {limit}× the p50 at ×1",
                    measured,
                    growth is not None and growth <= limit,
                )
            )
    if churn := results.get("churn"):
        rows += churn_targets(churn)
    for key, label in SCALES:
        if key in results:
            scans = [
                name
                for name, plan in results[key]["plans"].items()
                if plan.seq_scans and name not in WHOLE_TABLE_PAGES
            ]
            rows.append(
                (
                    f"{label}: list queries backed by an index (no Seq Scan on a large table)",
                    "Seq Scan on " + ", ".join(scans) if scans else "none",
                    not scans,
                )
            )
    if storm := results.get("storm"):
        lost = storm.accepted - storm.stored
        errors = sum(count for status, count in storm.statuses.items() if status != 303)
        rows.append(
            (
                "comment storm: 0 lost",
                f"{storm.accepted} accepted, {storm.stored} stored",
                lost == 0 and not storm.failures,
            )
        )
        rows.append(
            (
                "comment storm: 0 errors (no 5xx, no refusal)",
                f"{storm.server_errors} 5xx, {errors} answers other than 303",
                errors == 0 and not storm.failures,
            )
        )
    if checks := results.get("faults"):
        tracebacks = [check for check in checks if "traceback" in check.got]
        rows.append(
            (
                "fault runs: 0 tracebacks shown",
                f"{len(tracebacks)} responses with a traceback",
                not tracebacks,
            )
        )
        failed = [check for check in checks if not check.passed]
        rows.append(
            (
                "fault runs: every check, recovery without a restart",
                f"{len(checks) - len(failed)} of {len(checks)} checks passed",
                not failed,
            )
        )
    return rows


def page_targets(measured, label):
    """The ceiling against stock Django, each page's share of the ceiling, the cold times."""
    ceiling = ceiling_rps(measured)
    rows = []
    if stock := measured["loads"].get("stock"):
        share = ceiling / stock.rps if stock.rps else 0.0
        rows.append(
            (
                f"ceiling {label}: ≥ {STOCK_SHARE:.0%} of the stock Django view's requests/s",
                f"{share:.0%} ({ceiling:,.0f} vs {stock.rps:,.0f})",
                share >= STOCK_SHARE,
            )
        )
    for name, load in measured["loads"]["pages"].items():
        page = TARGETS[name]
        for mode, wanted in (("cached", page.cached), ("uncached", page.uncached)):
            if wanted is None:
                continue
            share = load[mode].rps / ceiling
            which = "" if mode == "cached" else " with a cookie"
            rows.append(
                (
                    f"{name} {label}{which}: ≥ {wanted:.0%} of the ceiling's requests/s",
                    f"{share:.0%}",
                    share >= wanted,
                )
            )
        if page.alone_ms is not None:
            alone = load["uncached"].alone_ms
            rows.append(
                (
                    f"{name} {label} with a cookie: one request alone ≤ {page.alone_ms:g} ms",
                    f"{alone:.1f} ms" if alone is not None else "—",
                    alone is not None and alone <= page.alone_ms,
                )
            )
    for name, cold in measured.get("cold", {}).items():
        limit = COLD_LIMITS_MS[name]
        rows.append(
            (
                f"{name} {label}: cold request in process ≤ {limit:g} ms "
                f"(median of {len(cold.times_ms)})",
                f"{cold.median_ms:.1f} ms",
                cold.median_ms <= limit,
            )
        )
    return rows


def churn_targets(churn):
    """The loaded page under churn against the quiet run, and the renders counted."""
    quiet, busy = churn.quiet.load, churn.churn.load
    share = busy.rps / quiet.rps if quiet.rps else 0.0
    growth = busy.p99_ms / quiet.p99_ms if quiet.p99_ms else None
    approvals = churn.churn.approvals
    per_approval = churn.churn.affected_renders / approvals if approvals else None
    return [
        (
            f"article under churn: ≥ {CHURN_SHARE:.0%} of its requests/s without churn",
            f"{share:.0%} ({busy.rps:,.0f} vs {quiet.rps:,.0f})",
            share >= CHURN_SHARE,
        ),
        (
            f"article under churn: p99 ≤ {CHURN_P99:g}× the p99 without churn",
            f"{growth:.2f}× ({quiet.p99_ms:.1f} → {busy.p99_ms:.1f} ms)" if growth else "—",
            growth is not None and growth <= CHURN_P99,
        ),
        (
            "churn: 0 renders of the loaded (unaffected) article page",
            f"{churn.churn.loaded_renders} renders, {approvals} approvals",
            churn.churn.loaded_renders == 0,
        ),
        (
            "churn: ≤ 1 render of the affected article page per approval",
            f"{per_approval:.2f} ({churn.churn.affected_renders} renders, {approvals} approvals)"
            if per_approval is not None
            else "no approval made",
            per_approval is not None and per_approval <= 1,
        ),
        (
            "churn: the affected article page shows the last comment approved within 1 s",
            "yes" if churn.churn.last_shown else "no",
            bool(churn.churn.last_shown),
        ),
    ]


def growths(results, mode):
    """{page: (p50 ×1, p50 ×10, growth)} of the ``mode`` runs ("cached" or "uncached").

    A p50 is None when no request finished within its run, and so is the growth.
    """
    first = results["scale1"]["loads"]["pages"]
    tenth = results["scale10"]["loads"]["pages"]
    figures = {}
    for name in first.keys() & tenth.keys():
        p50_1, p50_10 = (
            load[name][mode].p50_ms if load[name][mode].requests else None
            for load in (first, tenth)
        )
        figures[name] = (p50_1, p50_10, p50_10 / p50_1 if p50_1 and p50_10 else None)
    return {name: figures[name] for name in first if name in figures}


# Sections ----------------------------------------------------------------------------------


def rate(load):
    return f"{load.rps:,.0f}" if load.requests else "0"


def latency(load, value):
    """A latency in ms, or a dash when no request finished within the run."""
    return f"{value:.1f}" if load.requests else "—"


def pages_section(measured, label, data, duration):
    ceiling = ceiling_rps(measured)
    before, after = measured["loads"]["ceiling"]
    rows = [
        (
            "ceiling (before, after)",
            f"{before.rps:,.0f}, {after.rps:,.0f}",
            f"{before.p50_ms:.1f}, {after.p50_ms:.1f}",
            f"{before.p99_ms:.1f}, {after.p99_ms:.1f}",
            before.errors + after.errors,
            "100%",
            *[""] * 6,
            "—",
        )
    ]
    if stock := measured["loads"].get("stock"):
        rows.append(
            (
                "stock Django view",
                rate(stock),
                latency(stock, stock.p50_ms),
                latency(stock, stock.p99_ms),
                stock.errors,
                f"{stock.rps / ceiling:.0%}",
                *[""] * 6,
                "—",
            )
        )
    for name, load in measured["loads"]["pages"].items():
        cached, uncached = load["cached"], load["uncached"]
        queries = measured["queries"][name]
        rows.append(
            (
                name,
                rate(cached),
                latency(cached, cached.p50_ms),
                latency(cached, cached.p99_ms),
                cached.errors,
                f"{cached.rps / ceiling:.0%}",
                rate(uncached),
                latency(uncached, uncached.p50_ms),
                latency(uncached, uncached.p99_ms),
                uncached.errors,
                f"{uncached.rps / ceiling:.0%}",
                f"{uncached.alone_ms:.1f}" if uncached.alone_ms is not None else "—",
                f"{queries.cold} / {queries.warm} / {queries.uncached}",
            )
        )
    headers = [
        "page", "req/s", "p50 ms", "p99 ms", "errors", "of ceiling",
        "cookie req/s", "p50 ms", "p99 ms", "errors", "of ceiling", "alone ms",
        "SQL cold / warm / cookie",
    ]  # fmt: skip
    counts = ", ".join(f"{value:,} {name}" for name, value in data.items())
    return (
        f"## Pages at scale {label} ({counts})\n\n"
        + table(headers, rows, "lrrrrrrrrrrrr")
        + f'\n\n"alone": one request with the cookie on the idle server (median of the warm-up); '
        f'"—": no request finished within the {duration} s run. "stock Django view": the same '
        "trivial view in a project as `django-admin startproject` makes it (bench/stock/), "
        "under gunicorn with as many workers, loaded just before.\n"
    )


def cold_section(results):
    rows = []
    for key, label in SCALES:
        for name, cold in results.get(key, {}).get("cold", {}).items():
            limit = COLD_LIMITS_MS[name]
            rows.append(
                (
                    f"{name} {label}",
                    f"{cold.median_ms:.1f}",
                    f"{min(cold.times_ms):.1f}",
                    f"{max(cold.times_ms):.1f}",
                    f"{limit:g}",
                    verdict(cold.median_ms <= limit),
                )
            )
    headers = ["page", "median ms", "fastest", "slowest", "limit ms", "result"]
    return (
        "## Cold requests in process\n\n"
        f"One anonymous request with every cache emptied (Redis and the process's recent "
        f"pages), {COLD_REPEAT} times, timed in the benchmark's process with Django's test "
        "client: the render a change costs its first reader, without the network.\n\n"
        + table(headers, rows, "lrrrrl")
        + "\n"
    )


def churn_section(churn):
    rows = []
    for name, run in (("without churn", churn.quiet), ("churn", churn.churn)):
        load = run.load
        rows.append(
            (
                name,
                rate(load),
                latency(load, load.p50_ms),
                latency(load, load.p99_ms),
                load.errors,
                run.approvals,
                run.loaded_renders,
                run.reads,
                run.read_errors,
                run.affected_renders,
            )
        )
    headers = [
        "run", "req/s", "p50 ms", "p99 ms", "errors", "approvals", "renders of the loaded page",
        "affected page requests", "errors", "renders of the affected page",
    ]  # fmt: skip
    return (
        "## Churn\n\n"
        f"`{churn.loaded}` as an anonymous reader (page cache) under wrk, twice: without "
        f"churn, then while one pending comment on another article (`{churn.affected}`, not "
        f"shown on the loaded page) is approved every {APPROVAL_SECONDS:g} s in the benchmark's "
        "process (`Comment.approve()`, same Redis database and key prefix as the server). "
        f"In both runs one reader requests `{churn.affected}` every {READ_SECONDS:g} s. "
        "The server runs with `PAGE_CACHE_COUNT_RENDERS=true`; the counters are emptied "
        "after each warm-up and read when wrk ends.\n\n" + table(headers, rows, "lrrrrrrrrr") + "\n"
    )


def growth_section(results):
    cached = growths(results, "cached")
    uncached = growths(results, "uncached")
    rows = []
    for name, (p50_1, p50_10, growth) in cached.items():
        limit = GROWTH_LIMITS[name]
        u1, u10, ugrowth = uncached[name]
        rows.append(
            (
                name,
                f"{p50_1:.1f}" if p50_1 else "—",
                f"{p50_10:.1f}" if p50_10 else "—",
                f"{growth:.2f}×" if growth else "—",
                f"{limit}×" if limit else "—",
                verdict(bool(growth) and growth <= limit) if limit else "—",
                f"{u1:.1f}" if u1 else "—",
                f"{u10:.1f}" if u10 else "—",
                f"{ugrowth:.2f}×" if ugrowth else "—",
            )
        )
    headers = [
        "page", "p50 ms ×1", "p50 ms ×10", "growth", "limit", "result",
        "cookie p50 ×1", "cookie p50 ×10", "cookie growth",
    ]  # fmt: skip
    return "## Cost of 10× more data\n\n" + table(headers, rows, "lrrrrlrrr") + "\n"


def plans_section(results):
    parts = [
        "## Query plans\n\n"
        "`EXPLAIN` of every SELECT of each page's cold render that reads a large table "
        "(articles, comments, their categories, bylines and tags); a sequential scan of one "
        "of those tables means a list query without an index. The articles sitemap lists "
        "every published article, so it reads the whole table by design.\n"
    ]
    for key, label in SCALES:
        if key not in results:
            continue
        rows, details = [], []
        for name, plan in results[key]["plans"].items():
            scans = ", ".join(f"{table} (≈{rows:,} rows)" for table, rows, _sql in plan.seq_scans)
            rows.append((name, plan.checked, scans or "none"))
            details += [
                f"- {name}, {table}: `{shorten(sql)}`" for table, _rows, sql in plan.seq_scans
            ]
        parts.append(
            f"### {label}\n\n" + table(["page", "SELECTs checked", "Seq Scan"], rows, "lrl")
        )
        if details:
            parts.append("Queries with a sequential scan:\n\n" + "\n".join(dict.fromkeys(details)))
    return "\n\n".join(parts) + "\n"


def shorten(sql, length=300):
    sql = " ".join(sql.split()).replace("`", "'")
    return sql if len(sql) <= length else sql[:length] + " …"


def storm_section(storm):
    from storm import median, percentile

    statuses = ", ".join(f"{status} ×{count}" for status, count in sorted(storm.statuses.items()))
    by_status = ", ".join(f"{count} {status}" for status, count in storm.stored_by_status.items())
    lines = [
        "## Comment storm\n",
        "50 readers at once post 1,000 valid comments on the discussed article "
        "(server with `PROXY_COUNT=1`, each reader its own `X-Forwarded-For`, "
        "`COMMENTS_RATE_LIMIT=1000` so 20 comments per reader are not refused, "
        "`COMMENTS_HOLD_ALL=true`; the mail server is down).\n",
        f"- accepted (303): **{storm.accepted}**",
        f"- in the database: **{storm.stored}** ({by_status or 'none'})",
        f"- lost: **{storm.accepted - storm.stored}**",
        f"- 5xx: **{storm.server_errors}**; all answers: {statuses or 'none'}",
        f"- {storm.seconds:.1f} s in all, reading included; post latency p50 "
        f"{median(storm.latencies_ms):.0f} ms, p99 {percentile(storm.latencies_ms, 0.99):.0f} ms",
    ]
    if storm.post_sql:
        slowest_ms, slowest = max(storm.post_sql)
        scans = ", ".join(table for table, _rows, _sql in storm.post_plan.seq_scans)
        lines.append(
            f"- one more post, in process: {len(storm.post_sql)} SQL queries, "
            f"{sum(ms for ms, _sql in storm.post_sql):.0f} ms in the database; "
            f"Seq Scan on a large table: {scans or 'none'}; slowest ({slowest_ms:.0f} ms): "
            f"`{shorten(slowest)}`"
        )
    if storm.failures:
        lines.append(f"- readers that failed: {len(storm.failures)}, e.g. {storm.failures[0]}")
    return "\n".join(lines) + "\n"


def faults_section(checks):
    rows = [(c.phase, c.what, c.expected, c.got, verdict(c.passed)) for c in checks]
    return (
        "## Fault runs\n\nThrow-away PostgreSQL (`initdb`, `pg_ctl`) and `redis-server`, "
        "stopped and started again under a running gunicorn; the mail server is down "
        "throughout.\n\n"
        + table(["phase", "check", "expected", "got", "result"], rows, "lllll")
        + "\n"
    )


def settings_section(results):
    args = results["settings"]
    versions = results["versions"]
    load_before, load_after = results["load"]
    version_line = ", ".join(
        f"{name} {value}" for name, value in versions.items() if name != "random_page_cost"
    )
    lines = [
        f"- Date: {results['started']:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {results['machine']}",
        f"- Load average (1, 5, 15 min) before: {', '.join(f'{v:.1f}' for v in load_before)}; "
        f"after: {', '.join(f'{v:.1f}' for v in load_after)}",
        f"- Software: {version_line}",
        f"- Server: gunicorn, {args.workers} sync workers, `DEBUG=false`, `BEHIND_TLS_PROXY=true` "
        "and every request with `X-Forwarded-Proto: https` (HTTPS redirect, HSTS and secure "
        "cookies on), Redis cache and page cache in a database of its own (emptied before each "
        "run), `CONN_MAX_AGE` "
        f"{_env('CONN_MAX_AGE', '0 (default)')}, mail server down "
        "(`EMAIL_URL` pointing at a closed port), one log line per request to a file",
        f"- PostgreSQL `random_page_cost`: {versions.get('random_page_cost', '?')}",
        f"- Load: `wrk --latency -t{args.threads} -c{args.connections} -d{args.duration}s "
        f'--timeout={TIMEOUT}s` per URL after a {WARMUP} s warm-up; "cookie" adds '
        "`Cookie: comment_author=bench`: the page cache renders that reader's personal parts.",
        "- SQL counts in process (Django test client): cold (caches emptied), warm, warm with "
        f"the cookie; cold requests timed in process, median of {COLD_REPEAT}.",
        f"- Phases run: {', '.join(results['phases'])}",
    ]
    return "\n".join(lines) + "\n"


def _env(name, default):
    return os.environ.get(name) or default


def render(results):
    duration = results["settings"].duration
    rows = [(target, measured, verdict(passed)) for target, measured, passed in targets(results)]
    parts = [
        "# Benchmark results\n\nWritten by `make bench` (`bench/run.py`), overwritten on each "
        "run; see bench/README.md for how to read it.\n",
        settings_section(results),
        "## Targets\n\n" + table(["target", "measured", "result"], rows, "lll") + "\n",
    ]
    if "scale1" in results:
        parts.append(pages_section(results["scale1"], "×1", results["data1"], duration))
    if "scale10" in results:
        parts.append(pages_section(results["scale10"], "×10", results["data10"], duration))
    if "scale1" in results and "scale10" in results:
        parts.append(growth_section(results))
    if "scale1" in results or "scale10" in results:
        parts.append(cold_section(results))
        parts.append(plans_section(results))
    if "churn" in results:
        parts.append(churn_section(results["churn"]))
    if "storm" in results:
        parts.append(storm_section(results["storm"]))
    if "faults" in results:
        parts.append(faults_section(results["faults"]))
    timings = [(name, f"{seconds:.0f} s") for name, seconds in results["timings"]]
    total = sum(seconds for _name, seconds in results["timings"])
    timings.append(("total", f"{total:.0f} s"))
    parts.append("## Phase timings\n\n" + table(["phase", "time"], timings, "lr") + "\n")
    return "\n".join(parts)
