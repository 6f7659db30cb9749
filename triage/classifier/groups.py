"""Which protected groups a text mentions, for measuring errors per group.

A model that flags "I live with two gay people" has learnt the group's name,
not hate. We measure that per group: among texts that are not hateful but
mention a group, how many the model flags (the false-positive rate). The
terms are matched on normalised text, so disguised spellings count too.
"""

from __future__ import annotations

import re

from triage.classifier.normalise import normalise

GROUP_TERMS: dict[str, tuple[str, ...]] = {
    "race": (
        "black",
        "asian",
        "asians",
        "african",
        "africans",
        "pakistani",
        "pakistanis",
        "indian",
        "indians",
        "chinese",
        "roma",
        "gypsy",
        "gypsies",
        "traveller",
        "travellers",
        "immigrant",
        "immigrants",
        "migrant",
        "migrants",
        "refugee",
        "refugees",
        "asylum seeker",
        "asylum seekers",
        "polish",
        "somali",
        "somalis",
        "nigerian",
        "nigerians",
        "mexican",
        "mexicans",
        "arab",
        "arabs",
        "hispanic",
        "latino",
        "latinos",
        "foreigners",
    ),
    "antisemitic": ("jew", "jews", "jewish", "judaism", "synagogue", "rabbi", "hasidic"),
    "anti-muslim": ("muslim", "muslims", "islam", "islamic", "mosque", "mosques", "quran", "hijab"),
    "religion-other": (
        "sikh",
        "sikhs",
        "hindu",
        "hindus",
        "buddhist",
        "buddhists",
        "christian",
        "christians",
        "catholic",
        "catholics",
        "atheist",
        "atheists",
        "gurdwara",
        "temple",
    ),
    "sexual-orientation": (
        "gay",
        "gays",
        "lesbian",
        "lesbians",
        "bisexual",
        "homosexual",
        "homosexuals",
        "lgbt",
        "lgbtq",
        "queer",
        "same sex",
        "pride",
    ),
    "disability": (
        "disabled",
        "disability",
        "disabilities",
        "wheelchair",
        "autistic",
        "autism",
        "blind",
        "deaf",
        "downs syndrome",
        "special needs",
    ),
    "transgender": ("trans", "transgender", "transgenders", "non binary", "nonbinary", "transwoman", "transwomen"),
    "misogyny": (
        "women",
        "woman",
        "girls",
        "girl",
        "female",
        "females",
        "wives",
        "mothers",
        "mums",
        "ladies",
        "feminist",
        "feminists",
    ),
}

_PATTERNS = {
    slug: re.compile(r"(?<!\S)(?:" + "|".join(re.escape(term) for term in terms) + r")(?!\S)")
    for slug, terms in GROUP_TERMS.items()
}


def mentioned_groups(text: str) -> set[str]:
    """The category slugs whose group ``text`` names, disguised spellings included."""
    normalised = normalise(text)
    return {slug for slug, pattern in _PATTERNS.items() if pattern.search(normalised)}
