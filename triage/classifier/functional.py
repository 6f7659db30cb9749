"""The functional test suite: short cases, one behaviour each, that say where a model goes wrong.

The suite is written by this project and is never trained on. Each case names the behaviour it
checks (a phenomenon, such as negated hate or a threat phrased with "should") and the group it
mentions, so a score can be broken down by both. Held-out accuracy on the seed corpus says how
well a model learnt its own templates; this says whether it learnt the idea.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
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
    }
)

GROUPS = (*CATEGORY_SLUGS, NO_GROUP)

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


def suite_report(cases: Sequence[FunctionalCase], scores: Sequence[float], threshold: float = 0.5) -> dict:
    """Accuracy and macro F1 over the cases, and accuracy for each phenomenon and each group.

    ``scores`` are probabilities that each case is hateful, in the same order as ``cases``.
    ``worst_phenomena`` lists up to three phenomena with the lowest accuracy, leaving out any
    the model gets entirely right.
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
    for case, label, guess in zip(cases, labels, predicted, strict=True):
        by_phenomenon.setdefault(case.phenomenon, []).append((label, guess))
        by_group.setdefault(case.group, []).append((label, guess))

    def ordered(groups: dict[str, list[tuple[int, int]]], order: Sequence[str]) -> dict[str, dict]:
        keys = [key for key in order if key in groups] + sorted(set(groups) - set(order))
        return {key: {"cases": len(groups[key]), "accuracy": _accuracy(groups[key])} for key in keys}

    phenomena = ordered(by_phenomenon, list(PHENOMENA))
    position = {key: index for index, key in enumerate(phenomena)}
    imperfect = [key for key, row in phenomena.items() if row["accuracy"] < 1.0]
    worst = sorted(imperfect, key=lambda key: (phenomena[key]["accuracy"], position[key]))[:3]
    return {
        "cases": len(cases),
        "accuracy": _accuracy(list(zip(labels, predicted, strict=True))),
        "macro_f1": round(float(f1_score(labels, predicted, labels=[0, 1], average="macro", zero_division=0)), 4),
        "by_phenomenon": phenomena,
        "by_group": ordered(by_group, GROUPS),
        "worst_phenomena": worst,
    }


def format_report(report: dict) -> str:
    """The report as a plain-text table: overall figures, then phenomena, then groups."""
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
    return "\n".join(lines)
