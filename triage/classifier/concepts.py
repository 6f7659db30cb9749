"""Concepts hate is made of, as features: who is named, and what is said of them.

N-grams learn the words they were shown. Hate aimed at a group the training data
never named ("Eritreans are cockroaches") shares no n-gram with "Muslims are
vermin", but it shares the shape: a protected group, and a dehumanising word.
This module tags each text with the concepts it holds and with the pairs that
matter ("a group named together with a threat of violence"), so a linear model
can learn the shape once for every group. The lexicons are the project's own,
written from what hate-crime guidance describes; they are not complete and need
not be: the n-grams still carry everything else.

Pure Python, matched on normalised text.
"""

from __future__ import annotations

import hashlib

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer

from triage.classifier.groups import GROUP_TERMS


# Protected groups beyond the measurement lexicon in groups.py: more nationalities,
# faiths and conditions, so that a group the training data never named is still a group.
def _phrases(text: str) -> tuple[str, ...]:
    return tuple(phrase.strip() for phrase in text.split(",") if phrase.strip())


EXTRA_GROUP_TERMS = _phrases(
    "afghans, afghan, albanians, albanian, bangladeshis, bangladeshi, bulgarians, bulgarian, caribbeans, caribbean,"
    "eritreans, eritrean, ghanaians, ghanaian, iraqis, iraqi, iranians, iranian, jamaicans, jamaican, kurds, kurdish,"
    "lithuanians, lithuanian, romanians, romanian, sudanese, syrians, syrian, turks, turkish, vietnamese, filipinos,"
    "filipino, ethiopians, ethiopian, congolese, kenyans, kenyan, zimbabweans, sri lankans, tamils, gypsies, gypsy,"
    "foreigners, foreigner, ethnic minorities, minorities, people of colour, brown people, white people,"
    "mormons, mormon, pagans, pagan, jehovahs witnesses, rastafarians, catholics, protestants, monks, nuns, imams,"
    "amputees, amputee, dwarfism, dwarfs, cerebral palsy, epileptics, epileptic, schizophrenics, schizophrenic,"
    "bipolar, dyslexic, adhd, mentally ill, mental illness, learning difficulties, down syndrome, downs,"
    "wheelchair users, crippled, the disabled, deaf people, blind people,"
    "transsexuals, transsexual, drag queens, queers, homosexuals, bisexuals,"
    "feminists, females, wives, daughters, mothers, mums, sisters, girlfriends"
)

CONCEPT_TERMS: dict[str, tuple[str, ...]] = {
    # Likening people to animals, pests, disease or dirt.
    "dehumanising": _phrases(
        "vermin, rats, rat, cockroaches, cockroach, roaches, insects, insect, pests, pest, parasites, parasite,"
        "leeches, leech, lice, maggots, worms, snakes, apes, ape, monkeys, monkey, animals, animal, beasts, beast,"
        "creatures, savages, savage, dogs, pigs, swine, cattle, livestock, plague, disease, diseased, virus, cancer,"
        "tumour, infection, infestation, rash, mould, fungus, germs, filth, filthy, dirt, dirty, scum, trash, rubbish,"
        "garbage, sewage, subhuman, subhumans, inhuman, not human, not even human, not people, breed like, breeding,"
        "swarm, swarms, horde, hordes, infest, infesting, invading, invasion, invaders"
    ),
    # Threats and calls for violence, including euphemistic ones.
    "violence": _phrases(
        "kill, killed, killing, murder, murdered, slaughter, slaughtered, exterminate, extermination, eradicate,"
        "annihilate, genocide, gas them, gassed, hang, hanged, hanging, lynch, lynched, shoot, shot, shooting, bullet,"
        "bullets, gun, guns, stab, stabbed, knife, knives, burn, burned, burnt, torch, torched, firebomb, bomb, bombed,"
        "batter, battered, battering, beat, beaten, beating, kick, kicked, kicking, kicked in, stamp, stamped, punch,"
        "punched, smash, smashed, glass, glassed, run over, hurt, harm, attack, attacked, bash, bashed, thrash,"
        "acid, rope, noose, wipe out, wiped out, wiping out, finish off, put down, string up, strung up,"
        "taught a lesson, lined up, against a wall, die, dead, death, drown, drowned, fists"
    ),
    # Removal and exclusion: deport, ban, keep out, get rid of.
    "removal": _phrases(
        "deport, deported, deporting, deportation, expel, expelled, kick out, kick them out, kicked out, throw out,"
        "thrown out, ship off, ship them off, shipped back, send back, send them back, sent back, go back, get out,"
        "get rid, rid of, remove, removed, banned, ban, barred, keep out, keep them out, not welcome, unwelcome,"
        "no place, have no place, no business, dont belong, do not belong, should leave, must leave, purge, cleanse,"
        "cleansing, segregate, segregated, lock up, locked up, lock them up, locked away, lock them away, put away,"
        "shut away, sterilise, sterilised, not wanted, no more"
    ),
    # Contempt and inferiority stated as a fact or an opinion.
    "contempt": _phrases(
        "inferior, worthless, useless, pathetic, disgusting, vile, revolting, sick, sickening, perverts, pervert,"
        "perverted, degenerate, degenerates, freaks, freak, abomination, abnormal, unnatural, stupid, thick,"
        "retarded, backward, primitive, uncivilised, criminals, criminal, thieves, thief, scroungers, scrounger,"
        "liars, liar, dishonest, predators, predator, paedos, groomers, terrorists, terrorist, burden, burdens,"
        "drain, leeching, less than, lesser, hate, cant stand, make me sick, point of"
    ),
    # Slurs: a word that is itself contempt for a group, so it names the group and what is said of it at once.
    "slur": _phrases(
        "paki, pakis, nigger, niggers, nigga, niggas, wog, wogs, coon, coons, chink, chinks, darkie, darkies, gyppo,"
        "gyppos, spic, spics, nignog, nignogs, kike, kikes, yid, yids, hymie, hymies, heeb, heebs, shylock, shylocks,"
        "muzzie, muzzies, raghead, ragheads, towelhead, towelheads, muzrat, muzrats, goat shagger, goat shaggers,"
        "bin liners, taig, taigs, papist, papists, fenian, fenians, left footer, left footers, dothead, dotheads,"
        "faggot, faggots, fag, fags, dyke, dykes, poof, poofs, poofter, poofters, batty boy, batty boys, lezza, lezzas,"
        "retard, retards, spastic, spastics, spaz, spazzes, mong, mongs, cripple, cripples, window licker,"
        "window lickers, tranny, trannies, trannys, troon, troons, shemale, shemales, he she, he shes, bitch, bitches,"
        "slag, slags, whore, whores, slut, sluts, skank, skanks, hoes"
    ),
    # Praise and warmth: what most statements about a group in a volunteer's own community say.
    "praise": _phrases(
        "kind, kinder, kindest, kindness, lovely, brilliant, hero, heroes, proud, admire, admired, admirable, respect,"
        "respected, welcome, welcomed, welcoming, amazing, wonderful, fantastic, thank, thanks, grateful, fun,"
        "friendly, generous, helpful, helped, celebrate, celebrated, celebrating, talented, inspiring, inspiration,"
        "brave, lucky to have, glad, delighted, deserve, deserves, valued, valuable, contribute, contributed,"
        "neighbours, friends, volunteers, volunteered, raised money, charity"
    ),
    # Negation: counts for a harmful term only when it comes shortly before it ("are not vermin").
    "negation": _phrases("not, never, no, nobody, isnt, arent, dont, doesnt, wont, wouldnt, shouldnt, cant, nothing"),
    # Reporting someone else's words, which often turns the above into counter-speech.
    "distancing": _phrases(
        "reported, report, reporting, saying, say, says, said, calling, call, called, quote, quoting, quoted, claim,"
        "claims, claiming, tweeted, posted, wrote, shouted, shouting, chanting, chanted"
    ),
}


_LONGEST = 4  # words in the longest phrase of any lexicon


GROUP_PHRASES = frozenset(term for terms in GROUP_TERMS.values() for term in terms) | frozenset(EXTRA_GROUP_TERMS)
CONCEPT_PHRASES = {name: frozenset(terms) for name, terms in CONCEPT_TERMS.items()}
_HARMFUL = ("dehumanising", "violence", "removal", "contempt", "slur")
assert (
    max(len(phrase.split()) for phrases in (GROUP_PHRASES, *CONCEPT_PHRASES.values()) for phrase in phrases) <= _LONGEST
)


# A negation this many words or fewer before a harmful term negates it.
NEGATION_REACH = 5
# Bump when concept_tags's rules change (a lexicon's words are digested on their own: ``concepts_digest``).
CONCEPT_RULES_VERSION = 2


def concepts_digest() -> str:
    """What a model trained on these concepts depends on: the rules' version, the reach and every lexicon."""
    digest = hashlib.sha256(f"rules {CONCEPT_RULES_VERSION} reach {NEGATION_REACH}\n".encode())
    for name, phrases in sorted({"group": GROUP_PHRASES, **CONCEPT_PHRASES}.items()):
        digest.update(f"{name}: {','.join(sorted(phrases))}\n".encode())
    return digest.hexdigest()


def _positions(words: list[str]) -> dict[str, list[int]]:
    """For each concept (and "group"), where in ``words`` its phrases start."""
    found: dict[str, list[int]] = {}
    for n in range(1, _LONGEST + 1):
        for start in range(len(words) - n + 1):
            gram = " ".join(words[start : start + n])
            if gram in GROUP_PHRASES:
                found.setdefault("group", []).append(start)
            for name, phrases in CONCEPT_PHRASES.items():
                if gram in phrases:
                    found.setdefault(name, []).append(start)
    return found


def concept_tags(normalised: str) -> list[str]:
    """The concepts in a normalised text, and the pairs that make them aimed at a group.

    A harmful concept with a group named is tagged ``_negated`` when a negation
    comes just before it ("muslims are not vermin"), and ``_distanced`` when
    someone's words are being reported ("he called muslims vermin").
    """
    at = _positions(normalised.split())
    if "slur" in at:
        # A slur names its group.
        at["group"] = sorted(at.get("group", []) + at["slur"])
    tags = sorted(f"c_{name}" for name in at if name != "group")
    if "group" not in at:
        return tags
    tags.append("c_group")
    negations = at.get("negation", [])
    distancing = min(at.get("distancing", [len(normalised)]))
    for name in _HARMFUL:
        if name not in at:
            continue
        tags.append(f"c_group_{name}")
        if any(0 < start - negation <= NEGATION_REACH for start in at[name] for negation in negations):
            tags.append(f"c_group_{name}_negated")
        if distancing < max(at[name]):
            tags.append(f"c_group_{name}_distanced")
    if "praise" in at:
        negated = any(0 < start - negation <= NEGATION_REACH for start in at["praise"] for negation in negations)
        tags.append("c_group_praise_negated" if negated else "c_group_praise")
    return tags


class ConceptFeatures(BaseEstimator, TransformerMixin):
    """Concept tags as binary features, weighted like the n-grams around them."""

    def __init__(self, weight: float = 1.0):
        self.weight = weight

    def fit(self, texts, labels=None):
        self.vectorizer_ = CountVectorizer(analyzer=_tags, binary=True).fit(texts)
        return self

    def transform(self, texts):
        return self.vectorizer_.transform(texts) * self.weight


def _tags(text: str) -> list[str]:
    return concept_tags(text)
