"""Word lists, sentence templates and text builders for ``manage.py seed_demo``.

Everything here was written for Tribune's demo data; the people and quotes are
invented. The builders take a ``random.Random`` so that the same seed always
gives the same titles, leads and bodies.
"""

from django.utils.html import escape

CATEGORIES = [
    # name, slug, description
    ("Note", "note", "Short notes on a single development and why it matters."),
    ("Political", "political", "Elections, governments, parties and the institutions around them."),
    ("Top news", "top-news", "The publications our editors put first this week."),
    ("Interview", "interview", "Conversations with our experts and their guests."),
    ("Analysis", "analysis", "Longer pieces that follow a question through its evidence."),
    ("Economy", "economy", "Trade, energy markets, debt and the money behind foreign policy."),
    ("Security", "security", "Defence, arms control, borders and protecting infrastructure."),
]

EXPERTS = [
    # name, slug, title, bio, portrait colour, sections covered
    (
        "Clara Vennholt",
        "clara-vennholt",
        "Analyst of international affairs",
        "Clara Vennholt follows the foreign policy of mid-sized powers and the way they build "
        "coalitions. Before joining Tribune she worked for ten years in a parliamentary foreign "
        "affairs committee. She writes most often about mediation and regional summits.",
        "#1f4e79",
        ("political",),
    ),
    (
        "Amira Saleh-Brandt",
        "amira-saleh-brandt",
        "Senior fellow, energy security",
        "Amira Saleh-Brandt studies gas and electricity markets and the politics of pipelines. "
        "She trained as an engineer and later advised regulators on supply emergencies.",
        "#8a3b12",
        ("economy", "security"),
    ),
    (
        "Jonas Okonkwo-Hale",
        "jonas-okonkwo-hale",
        "Research fellow, regional security",
        "Jonas Okonkwo-Hale works on maritime security, border disputes and defence cooperation. "
        "He has carried out field research on three continents. His current project maps "
        "incidents at sea and how governments respond to them.",
        "#2e6b3a",
        ("security",),
    ),
    (
        "Helena Varga-Moore",
        "helena-varga-moore",
        "Head of the economy programme",
        "Helena Varga-Moore leads Tribune's work on trade, sovereign debt and sanctions. "
        "She spent her early career in a central bank research department and still reads "
        "balance-of-payments tables for pleasure.",
        "#5b2c83",
        ("economy",),
    ),
    (
        "Tobias Ferrand",
        "tobias-ferrand",
        "Associate fellow, elections and democracy",
        "Tobias Ferrand has observed more than twenty elections and writes about campaign rules, "
        "party systems and public trust. He teaches comparative politics part time.",
        "#9c2f4f",
        ("political",),
    ),
    (
        "Nadia Ellerby",
        "nadia-ellerby",
        "Senior analyst, diplomacy and mediation",
        "Nadia Ellerby covers negotiations, sanctions diplomacy and the work of regional "
        "organisations. She previously worked for a humanitarian agency. Her notes focus on "
        "what negotiators can realistically trade.",
        "#0f6e73",
        ("political", "security"),
    ),
]

TAGS = [
    "diplomacy", "elections", "energy", "trade", "sanctions", "defence", "migration",
    "inflation", "arms control", "maritime security", "cyber", "critical minerals",
    "democracy", "debt", "Black Sea", "Central Asia", "Western Balkans", "Middle East",
    "Sahel", "Indo-Pacific",
]  # fmt: skip

REGIONS = [
    # phrase, tag (or None)
    ("the Black Sea region", "Black Sea"),
    ("Central Asia", "Central Asia"),
    ("the Western Balkans", "Western Balkans"),
    ("the Middle East", "Middle East"),
    ("the Sahel", "Sahel"),
    ("the Indo-Pacific", "Indo-Pacific"),
    ("the South Caucasus", None),
    ("the Baltic region", None),
    ("the Eastern Mediterranean", None),
    ("the Horn of Africa", None),
    ("Southeast Asia", None),
    ("the Gulf", "Middle East"),
    ("North Africa", None),
    ("the Arctic", None),
]

TOPICS = [
    # phrase, tag, section
    ("election integrity", "elections", "political"),
    ("coalition politics", "democracy", "political"),
    ("democratic reform", "democracy", "political"),
    ("migration policy", "migration", "political"),
    ("regional diplomacy", "diplomacy", "political"),
    ("mediation efforts", "diplomacy", "political"),
    ("energy prices", "energy", "economy"),
    ("trade corridors", "trade", "economy"),
    ("debt restructuring", "debt", "economy"),
    ("critical minerals", "critical minerals", "economy"),
    ("inflation", "inflation", "economy"),
    ("sanctions policy", "sanctions", "economy"),
    ("arms control", "arms control", "security"),
    ("maritime security", "maritime security", "security"),
    ("defence spending", "defence", "security"),
    ("cyber defence", "cyber", "security"),
    ("energy security", "energy", "security"),
]

ACTORS = [
    "the European Union", "Washington", "Beijing", "Ankara", "New Delhi", "the African Union",
    "Tokyo", "Brasília", "Berlin", "Paris", "Riyadh", "London",
]  # fmt: skip

EVENTS = [
    "summit", "snap election", "ceasefire talks", "pipeline agreement", "budget vote",
    "trade dispute", "ministerial visit", "port deal", "new sanctions package",
    "central bank decision", "border incident", "donor conference",
]  # fmt: skip

ANGLES = [
    "what has changed", "a quiet shift", "the cost of waiting", "between ambition and reality",
    "old habits, new risks", "a window that is closing", "the view from the capitals",
    "three scenarios",
]  # fmt: skip

TITLE_TEMPLATES = [
    "{Topic} in {region}: {angle}",
    "What the {event} in {region} means for {topic}",
    "Why {actor} is rethinking {topic}",
    "{Actor}, {region} and the future of {topic}",
    "After the {event}: {topic} in {region}",
    "The limits of {topic} in {region}",
    "{Region} looks for a new balance on {topic}",
    "Five questions on {topic} after the {event}",
    "Can {actor} still shape the debate on {topic}?",
]

INTERVIEW_TITLE_TEMPLATES = [
    "Interview: {topic} and the future of {region}",
    "Interview: how {actor} sees {topic} in {region}",
    "Interview: the {event} and what comes next for {region}",
]

LEAD_TEMPLATES = [
    "The {event} in {region} has put {topic} back at the top of the agenda. "
    "{Actor} now has to choose between caution and a more active role.",
    "{Actor} is quietly changing its approach to {topic}. The shift matters well beyond {region}.",
    "For years {topic} was treated as a technical file in {region}. That is no longer the case.",
    "Governments in {region} face a difficult year on {topic}, and the {event} made it harder.",
    "The debate on {topic} in {region} is moving faster than institutions can follow. "
    "Three trends explain why.",
    "Few expected the {event} to change much. Its effect on {topic} in {region} says otherwise.",
]

INTERVIEW_LEADS = [
    "We asked {expert} how the {event} changes the outlook for {topic} in {region}.",
    "{Expert} explains why {topic} has become a test for {actor} in {region}.",
]

SENTENCES = [
    "Officials in {region} describe {topic} as a question of survival rather than of choice.",
    "The {event} did not create these tensions, but it made them impossible to ignore.",
    "{Actor} has long preferred to act through quiet bilateral channels.",
    "Budgets, not speeches, will show whether the new line on {topic} is serious.",
    "Neighbouring governments are watching closely, and some of them are hedging their bets.",
    "Business groups warn that uncertainty is already delaying investment decisions.",
    "Public opinion remains divided, and turnout figures suggest growing fatigue.",
    "The numbers are modest, yet the direction of travel is clear.",
    "Much depends on whether the main parties can agree on a shared reading of the risks.",
    "History offers a warning: similar promises were made a decade ago and quietly dropped.",
    "Diplomats speak of a narrow window before the next electoral cycle closes it.",
    "Energy prices add a layer of pressure that few capitals anticipated.",
    "Security services have raised the alarm about interference and sabotage.",
    "Smaller states in {region} fear being treated as objects rather than partners.",
    "{Actor} will need allies if it wants its approach to {topic} to last.",
    "None of the options on the table is cheap, and each carries political costs.",
    "Local experts point to weak institutions as the real bottleneck.",
    "The gap between declared goals and actual capacity keeps widening.",
    "A realistic strategy would start with fewer priorities and firmer commitments.",
    "Reliable data remain scarce, which makes every forecast fragile.",
    "Trade flows have already adjusted, often faster than official policy.",
    "The question is no longer whether to act on {topic}, but how and with whom.",
    "Parliamentary oversight has been thin, and civil society has struggled to be heard.",
    "Investors read every signal from {actor} as a hint of what comes next.",
    "In private, officials concede that the timetable is unrealistic.",
    "Military planners, for their part, insist on redundancy and spare capacity.",
    "The {event} showed how quickly a local dispute can acquire regional weight.",
    "Coordination with neighbours is improving, though slowly and unevenly.",
    "Inflation and debt limit what any government in {region} can promise.",
    "Much of the recent progress rests on personal ties between a handful of leaders.",
]

HEADINGS = [
    "Background", "What has changed", "The regional picture", "Risks ahead",
    "The economic dimension", "The security angle", "A closer look at {topic}",
    "Lessons from the {event}",
]  # fmt: skip

LIST_HEADINGS = ["Options for policymakers", "What to watch", "The way forward", "What can be done"]

INTERVIEW_QUESTIONS = [
    "How has {topic} changed in {region} over the past year?",
    "What did the {event} reveal?",
    "Is {actor} ready to take a bigger role?",
    "Where do you see the main risks?",
]

INTERVIEW_LIST_HEADING = "What should policymakers do first?"

QUOTES = [
    "Stability in {region} will be bought with patient investment, not with headlines.",
    "Every government says {topic} is a priority; very few have a plan to pay for it.",
    "The {event} was a reminder that neighbours share risks whether they like it or not.",
    "Without trust between the capitals, even good agreements stay on paper.",
    "We should judge {actor} by what it funds, not by what it announces.",
]

RECOMMENDATIONS = [
    "Publish a clear timetable for {topic} and report against it every year.",
    "Create a standing channel between ministries and neighbouring governments.",
    "Protect critical infrastructure with shared early-warning systems.",
    "Tie financial support to reforms that can be measured.",
    "Involve local authorities and civil society from the start.",
    "Diversify suppliers before the next crisis rather than during it.",
    "Keep lines of communication open with rivals to avoid miscalculation.",
    "Invest in independent data collection and analysis.",
    "Agree on common standards for election observation.",
    "Review export controls jointly with trading partners.",
]

LIST_INTROS = [
    "Several steps would help:",
    "Three priorities stand out:",
    "A credible response would include the following:",
]


def capfirst(value):
    return value[:1].upper() + value[1:]


def _fill(template, words):
    """Fill ``{name}`` and ``{Name}`` (same word, first letter capitalised)."""
    values = dict(words)
    values.update({key.capitalize(): capfirst(value) for key, value in words.items()})
    return template.format(**values)


def pick_subject(rng):
    region, region_tag = rng.choice(REGIONS)
    topic, topic_tag, section = rng.choice(TOPICS)
    return {
        "words": {
            "region": region,
            "topic": topic,
            "actor": rng.choice(ACTORS),
            "event": rng.choice(EVENTS),
            "angle": rng.choice(ANGLES),
        },
        "tags": [tag for tag in (topic_tag, region_tag) if tag],
        "section": section,
    }


def make_title(rng, subject, kind):
    templates = INTERVIEW_TITLE_TEMPLATES if kind == "interview" else TITLE_TEMPLATES
    return _fill(rng.choice(templates), subject["words"])


def make_lead(rng, subject, kind, expert_name):
    words = subject["words"]
    if kind == "interview":
        return _fill(rng.choice(INTERVIEW_LEADS), {**words, "expert": expert_name})
    return _fill(rng.choice(LEAD_TEMPLATES), words)


def _paragraph(sentences, words):
    return "<p>" + " ".join(escape(_fill(s, words)) for s in sentences) + "</p>"


def make_body(rng, subject, kind, links):
    """Return the HTML body: paragraphs, headings, a quote, a list and links.

    ``links`` is a list of ``(url, label)`` pairs woven into the closing paragraph.
    """
    words = subject["words"]
    long_piece = kind != "note"
    sentences = rng.sample(SENTENCES, 16 if long_piece else 11)
    if kind == "interview":
        # Questions keep their natural order; the last one leads to the list.
        questions = sorted(rng.sample(range(len(INTERVIEW_QUESTIONS)), 2))
        headings = [*(INTERVIEW_QUESTIONS[i] for i in questions), INTERVIEW_LIST_HEADING]
    else:
        headings = [*rng.sample(HEADINGS, 2), rng.choice(LIST_HEADINGS)]
    parts = [_paragraph(sentences[0:3], words)]
    parts.append(f"<h2>{escape(_fill(headings[0], words))}</h2>")
    parts.append(_paragraph(sentences[3:6], words))
    quote = escape(_fill(rng.choice(QUOTES), words))
    parts.append(f"<blockquote><p>{quote}</p></blockquote>")
    parts.append(_paragraph(sentences[6:9], words))
    if long_piece:
        parts.append(f"<h2>{escape(_fill(headings[1], words))}</h2>")
        parts.append(_paragraph(sentences[11:16], words))
    parts.append(f"<h2>{escape(_fill(headings[2], words))}</h2>")
    items = rng.sample(RECOMMENDATIONS, rng.randint(3, 4))
    parts.append(f"<p>{escape(rng.choice(LIST_INTROS))}</p>")
    parts.append("<ul>" + "".join(f"<li>{escape(_fill(i, words))}</li>" for i in items) + "</ul>")
    anchors = " and ".join(f'<a href="{escape(url)}">{escape(label)}</a>' for url, label in links)
    closing = " ".join(escape(_fill(s, words)) for s in sentences[9:11])
    parts.append(f"<p>{closing} More of our work on this subject: {anchors}.</p>")
    return "\n".join(parts)
