"""The functional test suite: short cases, one behaviour each, that say where a model goes wrong.

The suite is written by this project and is never trained on. Each case names the behaviour it
checks (a phenomenon, such as negated hate or a threat phrased with "should") and the group it
mentions, so a score can be broken down by both. Held-out accuracy on the seed corpus says how
well a model learnt its own templates; this says whether it learnt the idea.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from triage.classifier.seed_corpus import CATEGORY_SLUGS

SUITE_PATH = Path(__file__).parent / "data" / "functional_suite.csv"

NO_GROUP = "none"

# Hateful phenomena first, then the ones that look like hate and are not.
PHENOMENA: dict[str, str] = {
    "dehumanising": "comparing a group to animals, disease or filth",
    "threat_should": "calls for harm phrased with should, ought to or needs to",
    "threat_direct": "explicit threats of violence",
    "hateful_question": "hate phrased as a question",
    "hateful_opinion": "hate stated as an opinion or a fact",
    "exclusion": "saying a group should leave, be banned or be thrown out",
    "spelling_tricks": "hate with disguised spelling: digits, @, spaced or repeated letters, asterisks",
    "hate_no_slur_pronoun": "the group named once, then hate about 'they'",
    "slur": "hate carried by a slur aimed at a group",
    "negated_hate": "hate negated or disowned",
    "counter_quote": "hate quoted in order to condemn it",
    "counter_reference": "hate referred to and rejected, without quoting it",
    "neutral_mention": "a group named in an ordinary sentence",
    "positive_mention": "a group spoken of warmly",
    "profanity_not_hate": "swearing about life, weather or transport, with no group",
    "abuse_at_things": "insults aimed at objects, animals, weather or places",
    "abuse_at_unprotected": "insults aimed at people who are not a protected group",
}

HATEFUL_PHENOMENA = frozenset(
    {
        "dehumanising",
        "threat_should",
        "threat_direct",
        "hateful_question",
        "hateful_opinion",
        "exclusion",
        "spelling_tricks",
        "hate_no_slur_pronoun",
        "slur",
    }
)

GROUPS = (*CATEGORY_SLUGS, NO_GROUP)

# What a model must reach on the suite, scored hateful or not at the operating threshold. A model
# that flags people speaking plainly or warmly about a group, or speaking up against hate, puts
# those very people in front of officers, so false alarms on them are held low, and alike for every
# group: a model that is fair to most groups and not to one fails. The catch rates are for the two
# forms of hate a model has least excuse to miss: a slur, and a familiar word merely disguised.
MENTIONS_FLAGGED_MAX = 0.15  # positive and neutral mentions of a group scored hateful, for each group
MENTIONS_FLAGGED_GAP_MAX = 0.10  # the worst group's share flagged less the best group's
COUNTER_SPEECH_FLAGGED_MAX = 0.20  # counter-speech and quoted hate scored hateful
SLUR_CAUGHT_MIN = 0.80  # slur cases scored hateful, overall and for each group
SPELLING_TRICKS_CAUGHT_MIN = 0.70  # disguised spellings scored hateful

MENTION_PHENOMENA = ("positive_mention", "neutral_mention")
COUNTER_SPEECH_PHENOMENA = ("counter_quote", "counter_reference")

_COLUMNS = ("text", "label", "phenomenon", "group")


@dataclass(frozen=True)
class FunctionalCase:
    text: str
    label: int  # 1 hateful, 0 not hateful
    phenomenon: str  # a key of PHENOMENA
    group: str  # a category slug, or "none"


def load_suite(path: Path = SUITE_PATH) -> list[FunctionalCase]:
    """Every case in the file, in file order; a bad row raises ValueError naming its line."""
    if Path(path) == SUITE_PATH:
        return list(_load_default())
    return _read(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> tuple[FunctionalCase, ...]:
    return tuple(_read(SUITE_PATH))


def _read(path: Path) -> list[FunctionalCase]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path} line 1: missing columns {', '.join(sorted(missing))}.")
        cases = []
        for line, row in enumerate(reader, start=2):
            cases.append(_case(row, f"{path} line {line}"))
    if not cases:
        raise ValueError(f"{path} has no cases.")
    return cases


def _case(row: dict, where: str) -> FunctionalCase:
    text = (row.get("text") or "").strip()
    label = (row.get("label") or "").strip()
    phenomenon = (row.get("phenomenon") or "").strip()
    group = (row.get("group") or "").strip()
    if not text:
        raise ValueError(f"{where}: text is empty.")
    if label not in {"0", "1"}:
        raise ValueError(f"{where}: label must be 0 or 1, not {label!r}.")
    if phenomenon not in PHENOMENA:
        raise ValueError(f"{where}: unknown phenomenon {phenomenon!r}.")
    if group not in GROUPS:
        raise ValueError(f"{where}: group must be a category slug or {NO_GROUP!r}, not {group!r}.")
    return FunctionalCase(text=text, label=int(label), phenomenon=phenomenon, group=group)


def _accuracy(pairs: list[tuple[int, int]]) -> float:
    return round(sum(label == predicted for label, predicted in pairs) / len(pairs), 4)


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def _flagged_row(pairs: list[tuple[int, int]]) -> dict:
    return {"cases": len(pairs), "accuracy": _accuracy(pairs), "flagged": sum(guess for _, guess in pairs)}


def suite_report(cases: Sequence[FunctionalCase], scores: Sequence[float], threshold: float = 0.5) -> dict:
    """Accuracy and macro F1 over the cases, accuracy for each phenomenon, group and pair, and targets.

    ``scores`` are probabilities that each case is hateful, in the same order as ``cases``.
    ``worst_phenomena`` lists up to three phenomena with the lowest accuracy, leaving out any
    the model gets entirely right. ``by_phenomenon_group`` also counts the cases ``flagged``
    (scored hateful), from which ``targets`` (see ``suite_targets``) is worked out.
    """
    from sklearn.metrics import f1_score

    if len(cases) != len(scores):
        raise ValueError(f"{len(cases)} cases but {len(scores)} scores.")
    if not cases:
        raise ValueError("No cases to report on.")
    labels = [case.label for case in cases]
    predicted = [int(float(score) >= threshold) for score in scores]

    by_phenomenon: dict[str, list[tuple[int, int]]] = {}
    by_group: dict[str, list[tuple[int, int]]] = {}
    by_pair: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for case, label, guess in zip(cases, labels, predicted, strict=True):
        by_phenomenon.setdefault(case.phenomenon, []).append((label, guess))
        by_group.setdefault(case.group, []).append((label, guess))
        by_pair.setdefault(case.phenomenon, {}).setdefault(case.group, []).append((label, guess))

    def in_order(keys: Iterable[str], order: Sequence[str]) -> list[str]:
        return [key for key in order if key in keys] + sorted(set(keys) - set(order))

    def ordered(groups: dict[str, list[tuple[int, int]]], order: Sequence[str]) -> dict[str, dict]:
        return {key: {"cases": len(groups[key]), "accuracy": _accuracy(groups[key])} for key in in_order(groups, order)}

    phenomena = ordered(by_phenomenon, list(PHENOMENA))
    position = {key: index for index, key in enumerate(phenomena)}
    imperfect = [key for key, row in phenomena.items() if row["accuracy"] < 1.0]
    worst = sorted(imperfect, key=lambda key: (phenomena[key]["accuracy"], position[key]))[:3]
    report = {
        "cases": len(cases),
        "threshold": threshold,
        "accuracy": _accuracy(list(zip(labels, predicted, strict=True))),
        "macro_f1": round(float(f1_score(labels, predicted, labels=[0, 1], average="macro", zero_division=0)), 4),
        "by_phenomenon": phenomena,
        "by_group": ordered(by_group, GROUPS),
        "by_phenomenon_group": {
            phenomenon: {
                group: _flagged_row(by_pair[phenomenon][group]) for group in in_order(by_pair[phenomenon], GROUPS)
            }
            for phenomenon in phenomena
        },
        "worst_phenomena": worst,
    }
    report["targets"] = suite_targets(report)
    return report


def suite_targets(report: dict) -> dict:
    """Whether the scores behind ``report`` meet the suite's targets (the constants above).

    Each entry of ``targets`` gives the share ``measured`` (rounded to four places, and judged as
    rounded), the ``target`` share, whether it is a ceiling or a floor (``direction``) and whether
    it was ``met``. A target with no cases to measure has ``measured`` None and is not met. The
    shares for each group are listed again under ``mentions_flagged_by_group`` and
    ``slur_caught_by_group``; a group with no such cases is left out.
    """
    table = report["by_phenomenon_group"]

    def counts(phenomena: Sequence[str], group: str | None = None) -> tuple[int, int]:
        rows = [
            row
            for phenomenon in phenomena
            for key, row in table.get(phenomenon, {}).items()
            if key != NO_GROUP and (group is None or key == group)
        ]
        return sum(row["flagged"] for row in rows), sum(row["cases"] for row in rows)

    def per_group(phenomena: Sequence[str]) -> dict[str, tuple[int, int]]:
        found = {slug: counts(phenomena, slug) for slug in CATEGORY_SLUGS}
        return {slug: (flagged, total) for slug, (flagged, total) in found.items() if total}

    def target(name: str, measured: float | None, limit: float, *, at_most: bool) -> dict:
        met = measured is not None and (measured <= limit if at_most else measured >= limit)
        return {
            "name": name,
            "measured": measured,
            "target": limit,
            "direction": "at most" if at_most else "at least",
            "met": met,
        }

    mention_counts = per_group(MENTION_PHENOMENA)
    mentions = {slug: _share(*pair) for slug, pair in mention_counts.items()}
    # The gap is taken between the exact shares, then rounded, so rounding happens once.
    exact = [flagged / total for flagged, total in mention_counts.values()]
    gap = round(max(exact) - min(exact), 4) if exact else None
    counter_speech = _share(*counts(COUNTER_SPEECH_PHENOMENA))
    slur = _share(*counts(("slur",)))
    slurs = {slug: _share(*pair) for slug, pair in per_group(("slur",)).items()}
    spelling_tricks = _share(*counts(("spelling_tricks",)))

    targets = [
        *(
            target(f"mentions_flagged.{slug}", share, MENTIONS_FLAGGED_MAX, at_most=True)
            for slug, share in mentions.items()
        ),
        target("mentions_flagged_gap", gap, MENTIONS_FLAGGED_GAP_MAX, at_most=True),
        target("counter_speech_flagged", counter_speech, COUNTER_SPEECH_FLAGGED_MAX, at_most=True),
        target("slur_caught", slur, SLUR_CAUGHT_MIN, at_most=False),
        *(target(f"slur_caught.{slug}", share, SLUR_CAUGHT_MIN, at_most=False) for slug, share in slurs.items()),
        target("spelling_tricks_caught", spelling_tricks, SPELLING_TRICKS_CAUGHT_MIN, at_most=False),
    ]
    return {
        "met": all(entry["met"] for entry in targets),
        "targets": targets,
        "mentions_flagged_by_group": mentions,
        "slur_caught_by_group": slurs,
    }


def format_report(report: dict) -> str:
    """The report as a plain-text table: overall figures, then phenomena, then groups, then targets."""
    width = max(len(key) for key in [*report["by_phenomenon"], *report["by_group"], "phenomenon"])
    lines = [
        f"Functional suite: {report['cases']} cases, accuracy {report['accuracy']:.4f}, "
        f"macro F1 {report['macro_f1']:.4f}",
        "",
        f"{'phenomenon':<{width}}  {'cases':>5}  {'accuracy':>8}  expects",
    ]
    for key, row in report["by_phenomenon"].items():
        expects = "hateful" if key in HATEFUL_PHENOMENA else "not hateful"
        lines.append(f"{key:<{width}}  {row['cases']:>5}  {row['accuracy']:>8.4f}  {expects}")
    lines += ["", f"{'group':<{width}}  {'cases':>5}  {'accuracy':>8}"]
    for key, row in report["by_group"].items():
        lines.append(f"{key:<{width}}  {row['cases']:>5}  {row['accuracy']:>8.4f}")
    if report["worst_phenomena"]:
        lines += ["", f"Weakest: {', '.join(report['worst_phenomena'])}"]
    # Reports recorded before the targets existed have none to show.
    if report.get("targets"):
        lines += _format_targets(report["targets"], report.get("threshold"))
    return "\n".join(lines)


def _format_targets(targets: dict, threshold: float | None) -> list[str]:
    entries = targets["targets"]
    met = sum(entry["met"] for entry in entries)
    at = "" if threshold is None else f" at threshold {threshold}"
    width = max(len(entry["name"]) for entry in [*entries, {"name": "target"}])
    lines = [
        "",
        f"Targets{at}: {met} of {len(entries)} met",
        "",
        f"{'target':<{width}}  {'measured':>8}  {'needed':<13}  result",
    ]
    for entry in entries:
        measured = "n/a" if entry["measured"] is None else f"{entry['measured']:.4f}"
        needed = f"{entry['direction']} {entry['target']:.2f}"
        result = "met" if entry["met"] else "NOT MET"
        lines.append(f"{entry['name']:<{width}}  {measured:>8}  {needed:<13}  {result}")
    return lines
