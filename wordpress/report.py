"""The verification report: what the file held, what was imported, and what was not and why."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "skipped")

# (section, status in the file) → what it became in Tribune, in the report's order.
ROWS = {
    ("authors", "declared"): "expert",
    ("authors", "creator only"): "expert",
    ("categories", "declared"): "category",
    ("categories", "used, not declared"): "category",
    ("tags", "declared"): "tag",
    ("tags", "used, not declared"): "tag",
    ("posts", "publish"): "published",
    ("posts", "future"): "scheduled",
    ("posts", "draft"): "draft",
    ("posts", "pending"): "draft",
    ("posts", "private"): "draft",
    ("posts", "password-protected"): "draft",
    ("posts", "other"): "not imported",
    ("pages", "publish"): "page",
    ("pages", "not published"): "not imported",
    ("comments", "approved"): "approved",
    ("comments", "pending"): "pending",
    ("comments", "spam"): "spam",
    ("comments", "trash"): "trash",
    ("comments", "replies"): "reply",
    ("comments", "pingback"): "not imported",
    ("comments", "trackback"): "not imported",
    ("attachments", "inherit"): "recorded",
    ("menu items", "nav_menu_item"): "not imported",
    ("other items", "other"): "not imported",
}


@dataclass
class Row:
    in_file: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def imported(self):
        return self.created + self.updated + self.unchanged


@dataclass
class Attachment:
    wp_id: str
    url: str
    title: str = ""
    alt: str = ""
    parent: str = ""
    stored_as: str = ""


@dataclass
class Report:
    site_url: str = ""
    version: str = ""
    dry_run: bool = False
    rows: dict = field(default_factory=lambda: defaultdict(Row))
    # reason → the examples (titles, values) it applies to
    skipped: dict = field(default_factory=lambda: defaultdict(list))
    notes: dict = field(default_factory=lambda: defaultdict(list))
    redirects: Counter = field(default_factory=Counter)
    # "author", "category" or "tag" → how many of the redirects are old archives of that kind
    archive_redirects: Counter = field(default_factory=Counter)
    # "author" or "category" → how many of the redirects are ``/?author=N`` or ``/?cat=N``
    query_redirects: Counter = field(default_factory=Counter)
    attachments: dict = field(default_factory=dict)
    MAX_EXAMPLES = 10

    def found(self, section, status):
        self.rows[section, status].in_file += 1

    def outcome(self, section, status, outcome):
        row = self.rows[section, status]
        setattr(row, outcome, getattr(row, outcome) + 1)

    def skip(self, reason, example=""):
        self.skipped[reason].append(example)

    def note(self, reason, example=""):
        self.notes[reason].append(example)

    def row(self, section, status):
        return self.rows.get((section, status), Row())

    def total(self, section, attribute="in_file"):
        return sum(
            getattr(row, attribute) for (name, _status), row in self.rows.items() if name == section
        )

    # Rendering ------------------------------------------------------------------------------

    def render(self, *, verbosity=1):
        """The report as text; ``verbosity`` 2 lists every example, not only the first ten."""
        lines = [
            f"WordPress import report: {self.site_url or '(no site URL)'}"
            f" (WXR {self.version or '?'})",
        ]
        if self.dry_run:
            lines.append("Dry run: everything below was rolled back, nothing was saved.")
        lines += ["", self._table()]
        redirects = ", ".join(f"{count} {name}" for name, count in sorted(self.redirects.items()))
        lines += ["", f"Redirects (old address → new, 301): {redirects or 'none'}"]
        if self.archive_redirects:
            archives = ", ".join(
                f"{count} {kind}" for kind, count in sorted(self.archive_redirects.items())
            )
            lines.append(f"  of which archives (with their feeds and pages): {archives}")
        if self.query_redirects:
            queries = ", ".join(
                f"{count} {kind}" for kind, count in sorted(self.query_redirects.items())
            )
            lines.append(f"  of which query forms (/?author=N, /?cat=N): {queries}")
        for title, entries in (("Skipped", self.skipped), ("Notes", self.notes)):
            if entries:
                lines += ["", f"{title}:"]
                lines += [
                    self._entry(reason, examples, everything=verbosity > 1)
                    for reason, examples in entries.items()
                ]
        if self.attachments:
            lines += ["", f"Attachments ({len(self.attachments)}): id, URL, alt text"]
            for attachment in self.attachments.values():
                stored = f" → {attachment.stored_as}" if attachment.stored_as else ""
                alt = attachment.alt or "(no alt text)"
                lines.append(f"  {attachment.wp_id}  {attachment.url}  {alt}{stored}")
        return "\n".join(lines) + "\n"

    def _table(self):
        header = ("type", "in file", "→", "created", "updated", "unchanged", "skipped")
        table = [header]
        for key, becomes in ROWS.items():
            if key not in self.rows:
                continue
            row = self.rows[key]
            section, status = key
            table.append(
                (
                    f"{section}: {status}",
                    str(row.in_file),
                    becomes,
                    *(str(getattr(row, outcome)) for outcome in OUTCOMES),
                )
            )
        widths = [max(len(line[column]) for line in table) for column in range(len(header))]
        return "\n".join(
            "  ".join(
                cell.ljust(width) if column in (0, 2) else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
            for line in table
        )

    def _entry(self, reason, examples, *, everything=False):
        named = [example for example in examples if example]
        shown = named if everything else named[: self.MAX_EXAMPLES]
        more = len(named) - len(shown)
        listed = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        return f"  - {len(examples)} × {reason}" + (f": {listed}" if listed else "")
