"""Word lists for the demo comments, written for Tribune's demo content."""

COMMENTERS = [
    ("Maryam Tehrani", "https://maryam.example.org/"),
    ("Daniel Ortega Ruiz", ""),
    ("Leila Ahmadi", ""),
    ("Tomasz Wilk", "https://wilk.example.net/"),
    ("Ines Carvalho", ""),
    ("Kofi Mensah", "https://kofi.example.com/"),
    ("Hannah Brecht", ""),
    ("Arash Karimi", ""),
    ("Sofia Lindqvist", "https://lindqvist.example.org/"),
    ("Yusuf Demir", ""),
]

OPENINGS = [
    "A clear and balanced piece.",
    "Thank you for this analysis.",
    "I am not fully convinced by the second section.",
    "This matches what we hear from colleagues in the region.",
    "An important point that gets too little attention.",
    "Useful context, especially the part on timelines.",
]

BODIES = [
    "The question of who pays for the transition deserves its own analysis.",
    "Local elections next spring could change the picture entirely.",
    "It would help to compare this with the situation ten years ago.",
    "The data on trade flows seems to point in a different direction.",
    "Smaller neighbours are rarely asked what they think about these plans.",
    "The role of parliament is underestimated here, in my view.",
]

REPLIES = [
    "Good point. The authors touched on this in an earlier note.",
    "I agree, although the budget figures are still unclear.",
    "Do you have a source for that? I would like to read more.",
    "That is fair, but the timeline makes it hard to do more.",
    "Thanks, this adds a perspective I had not considered.",
]

PENDING = [
    "Could you publish the underlying figures as well?",
    "Will there be a follow-up after the summit?",
    "See also https://example.org/report and https://example.org/data and "
    "https://example.org/more for background.",
]

SPAM = [
    "Cheap watches and great deals, visit https://spam.example.com/ now!!!",
    "Earn money fast from home, click https://offers.example.com/",
]

TRASH = [
    "test",
    "First!",
]
