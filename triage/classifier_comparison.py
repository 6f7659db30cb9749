"""Classifier versions' measures as tables and charts, for the admin's side-by-side page and a version's page.

Reads what each version stored when it was trained (``metrics["dev"]``: the dev measures of
triage/classifier/dev.py; and, for versions trained before them, ``metrics["held_out"]``). Nothing here
scores text or loads a model, so the pages stay quick and the web process never loads scikit-learn.
Every chart is drawn in the browser from the data its page embeds (triage/charts.py), and its figures are in a
table under it as well as in the tables of measures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from triage.charts import IN_THE_TABLE, Chart, chart
from triage.classifier.functional import GROUPS, HATEFUL_PHENOMENA, NO_GROUP, PHENOMENA
from triage.models import ClassifierVersion

# (label in tables, label in the chart, where in metrics["dev"], the name dev.HEADLINES gives it if a headline)
DEV_MEASURES: tuple[tuple[str, str, tuple[str, str], str | None], ...] = (
    ("Stormfront test sample: macro-F1", "Stormfront macro-F1", ("stormfront_test", "macro_f1"), "stormfront_macro_f1"),
    ("Stormfront test sample: ROC-AUC", "Stormfront ROC-AUC", ("stormfront_test", "roc_auc"), None),
    (
        "ToxiGen leave-one-group-out: mean macro-F1",
        "ToxiGen LOGO macro-F1",
        ("toxigen_logo", "mean_macro_f1"),
        "toxigen_logo_macro_f1",
    ),
    (
        "Davidson held-out part: hate vs rest ROC-AUC",
        "Davidson hate ROC-AUC",
        ("davidson_held_out", "hate_roc_auc"),
        "davidson_hate_roc_auc",
    ),
    (
        "Davidson held-out part: abusive vs neither ROC-AUC",
        "Davidson abusive ROC-AUC",
        ("davidson_held_out", "abusive_roc_auc"),
        None,
    ),
    ("Functional suite: macro-F1", "Functional macro-F1", ("functional", "macro_f1"), "functional_macro_f1"),
    ("Functional suite: accuracy", "Functional accuracy", ("functional", "accuracy"), None),
)


@dataclass
class Row:
    label: str
    figures: list[str]
    detail: str = ""


@dataclass
class Section:
    title: str
    note: str = ""
    rows: list[Row] = field(default_factory=list)


def figure(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def dev_measures(record: ClassifierVersion) -> dict:
    """The dev measures stored on ``record``; the functional suite also where older versions kept it."""
    dev = dict(record.metrics.get("dev") or {})
    dev["functional"] = dev.get("functional") or record.metrics.get("functional") or {}
    return dev


def _pick(record: ClassifierVersion, part: str, key: str):
    return (dev_measures(record).get(part) or {}).get(key)


def _union(
    versions: Sequence[ClassifierVersion],
    keys: Callable[[ClassifierVersion], Iterable[str]],
    order: Sequence[str] = (),
) -> list[str]:
    """Every key any version has: those named in ``order`` in that order, then the rest as the versions give them.

    (PostgreSQL keeps a JSON object's keys in an order of its own, so the stored order says nothing.)"""
    found: dict[str, None] = {}
    for record in versions:
        found.update(dict.fromkeys(keys(record)))
    return [key for key in order if key in found] + [key for key in found if key not in order]


# Per-group error rates ------------------------------------------------------------------------------


def group_errors(functional: dict) -> dict[str, dict]:
    """For each group the functional suite names: how many not-hateful cases were flagged (false alarms) and
    how many hateful ones were not (hate missed), with their rates; from the suite's phenomenon × group counts."""
    found: dict[str, dict] = {}
    for phenomenon, groups in (functional.get("by_phenomenon_group") or {}).items():
        hateful = phenomenon in HATEFUL_PHENOMENA
        for group, row in groups.items():
            counts = found.setdefault(group, {"alarms": 0, "benign": 0, "missed": 0, "hateful": 0})
            if hateful:
                counts["missed"] += row["cases"] - row["flagged"]
                counts["hateful"] += row["cases"]
            else:
                counts["alarms"] += row["flagged"]
                counts["benign"] += row["cases"]
    for counts in found.values():
        counts["false_alarm_rate"] = counts["alarms"] / counts["benign"] if counts["benign"] else None
        counts["miss_rate"] = counts["missed"] / counts["hateful"] if counts["hateful"] else None
    return found


def _rate(counts: dict | None, rate: str, count: str, total: str) -> str:
    if not counts or counts[rate] is None:
        return "–"
    return f"{counts[rate]:.3f} ({counts[count]} of {counts[total]})"


def _targets(functional: dict) -> list[dict]:
    targets = functional.get("targets") or []
    return targets.get("targets", []) if isinstance(targets, dict) else targets


def _target_figure(entry: dict | None) -> str:
    if entry is None:
        return "–"
    measured = "n/a" if entry.get("measured") is None else f"{entry['measured']:.3f}"
    return f"{measured}: {'met' if entry.get('met') else 'NOT met'}"


# Tables -------------------------------------------------------------------------------------------


def measure_sections(versions: Sequence[ClassifierVersion]) -> list[Section]:
    """Every measure the versions stored, one table section per kind, one figure per version."""
    versions = list(versions)

    def figures(pick: Callable[[ClassifierVersion], object]) -> list[str]:
        return [figure(pick(record)) for record in versions]

    functional = {record.pk: dev_measures(record)["functional"] for record in versions}
    sections = [
        Section(
            "Dev measures",
            "Public text no recipe trains on, and the project's functional suite. Higher is better.",
            [
                Row(label, figures(lambda r, part=part, key=key: _pick(r, part, key)))
                for label, _, (part, key), _ in DEV_MEASURES
            ]
            + [Row("Examples measured on", [_examples(record) for record in versions])],
        )
    ]

    toxigen = sorted(_union(versions, lambda r: (dev_measures(r).get("toxigen_logo") or {}).get("groups", {})))
    if toxigen:
        sections.append(
            Section(
                "ToxiGen leave-one-group-out: macro-F1 per group",
                "Each group's sentences scored by a model trained without them. Higher is better.",
                [
                    Row(
                        group,
                        figures(lambda r, g=group: _toxigen_group(r, g).get("macro_f1")),
                        _toxigen_size(versions, group),
                    )
                    for group in toxigen
                ],
            )
        )

    phenomena = _union(versions, lambda r: functional[r.pk].get("by_phenomenon", {}), PHENOMENA)
    if phenomena:
        sections.append(
            Section(
                "Functional suite: accuracy per phenomenon",
                "Share of the cases of each kind scored right at the operating threshold. Higher is better.",
                [
                    Row(
                        name,
                        figures(lambda r, n=name: functional[r.pk].get("by_phenomenon", {}).get(n, {}).get("accuracy")),
                        _phenomenon_detail(name),
                    )
                    for name in phenomena
                ],
            )
        )

    groups = _union(versions, lambda r: functional[r.pk].get("by_group", {}), GROUPS)
    if groups:
        sections.append(
            Section(
                "Functional suite: accuracy per group",
                "Share of the cases naming each group scored right. Higher is better.",
                [
                    Row(
                        group,
                        figures(lambda r, g=group: functional[r.pk].get("by_group", {}).get(g, {}).get("accuracy")),
                    )
                    for group in groups
                ],
            )
        )

    errors = {record.pk: group_errors(functional[record.pk]) for record in versions}
    error_groups = _union(versions, lambda r: errors[r.pk], GROUPS)
    if error_groups:
        rows = []
        for group in error_groups:
            rows.append(
                Row(
                    f"{group}: false alarms",
                    [_rate(errors[r.pk].get(group), "false_alarm_rate", "alarms", "benign") for r in versions],
                    "not-hateful cases scored hateful",
                )
            )
            rows.append(
                Row(
                    f"{group}: hate missed",
                    [_rate(errors[r.pk].get(group), "miss_rate", "missed", "hateful") for r in versions],
                    "hateful cases scored not hateful",
                )
            )
        sections.append(
            Section(
                "Per-group error rates on the functional suite",
                "Lower is better. A model that flags people speaking plainly or warmly about one group more "
                "than another puts those people in front of officers.",
                rows,
            )
        )

    targets = _union(versions, lambda r: (entry["name"] for entry in _targets(functional[r.pk])))
    if targets:
        rows = [
            Row(
                "All targets",
                [_targets_summary(_targets(functional[r.pk])) for r in versions],
            )
        ]
        for name in targets:
            entries = [_target_entry(functional[r.pk], name) for r in versions]
            known = next((entry for entry in entries if entry is not None), {})
            needed = f"{known.get('direction', '')} {known.get('target', 0):.2f}".strip()
            rows.append(Row(name, [_target_figure(entry) for entry in entries], f"needs {needed}"))
        sections.append(
            Section("Functional suite targets", "Each target, the share measured, and whether it was met.", rows)
        )

    if any(record.held_out for record in versions):
        sections.extend(_held_out_sections(versions))
    return sections


def _examples(record: ClassifierVersion) -> str:
    dev = dev_measures(record)
    parts = [
        (name, (dev.get(part) or {}).get(key))
        for name, part, key in (
            ("Stormfront", "stormfront_test", "examples"),
            ("Davidson", "davidson_held_out", "examples"),
            ("functional", "functional", "cases"),
        )
    ]
    return ", ".join(f"{name} {count}" for name, count in parts if count is not None) or "–"


def _toxigen_group(record: ClassifierVersion, group: str) -> dict:
    return ((dev_measures(record).get("toxigen_logo") or {}).get("groups") or {}).get(group) or {}


def _toxigen_size(versions: Sequence[ClassifierVersion], group: str) -> str:
    sizes = {_toxigen_group(record, group).get("examples") for record in versions} - {None}
    return f"{max(sizes)} sentences" if sizes else ""


def _phenomenon_detail(name: str) -> str:
    if name not in PHENOMENA:
        return ""
    return f"{PHENOMENA[name]} (expects {'hateful' if name in HATEFUL_PHENOMENA else 'not hateful'})"


def _target_entry(functional: dict, name: str) -> dict | None:
    return next((entry for entry in _targets(functional) if entry["name"] == name), None)


def _targets_summary(entries: list[dict]) -> str:
    if not entries:
        return "–"
    met = sum(bool(entry.get("met")) for entry in entries)
    return f"{met} of {len(entries)} met"


def _held_out_sections(versions: Sequence[ClassifierVersion]) -> list[Section]:
    """The figures versions trained before the dev measures recorded: a split of their own training data."""

    def figures(pick) -> list[str]:
        return [figure(pick(record)) for record in versions]

    def groups_of(record):
        return record.held_out.get("groups", {})

    hateful = Section("Held-out split of its own training data (hateful or not)", "Recorded by older versions.")
    for key, label in (("roc_auc", "ROC-AUC"), ("precision", "precision"), ("recall", "recall"), ("f1", "F1")):
        hateful.rows.append(Row(label, figures(lambda r, k=key: r.held_out.get("hateful", {}).get(k))))
    categories = Section("Held-out split: F1 per category")
    for slug in sorted(_union(versions, lambda r: r.held_out.get("categories", {}))):
        categories.rows.append(
            Row(slug, figures(lambda r, s=slug: r.held_out.get("categories", {}).get(s, {}).get("f1")))
        )
    rates = Section("Held-out split: error rates per group", "Lower is better.")
    for slug in sorted(_union(versions, groups_of)):
        rates.rows.append(
            Row(
                f"{slug}: false-positive rate",
                figures(lambda r, s=slug: groups_of(r).get(s, {}).get("fpr")),
                "non-hateful text naming the group scored hateful",
            )
        )
        rates.rows.append(
            Row(f"{slug}: hate missed", figures(lambda r, s=slug: groups_of(r).get(s, {}).get("miss_rate")))
        )
    return [section for section in (hateful, categories, rates) if section.rows]


# Charts -------------------------------------------------------------------------------------------

SCORE_BANDS = [f"{low / 10:.1f}–{(low + 1) / 10:.1f}" for low in range(10)]


def measure_charts(versions: Sequence[ClassifierVersion]) -> list[Chart]:
    """Bar charts of the headline dev measures and of the per-group error rates, one bar per version."""
    versions = list(versions)
    names = [record.version for record in versions]
    charts = []
    headlines = [
        (short, [_pick(record, part, key) for record in versions])
        for _, short, (part, key), headline in DEV_MEASURES
        if headline
    ]
    if any(value is not None for _, values in headlines for value in values):
        charts.append(
            _rates_chart(
                "headline-measures",
                "Headline dev measures",
                headlines,
                names,
                category_name="measure",
                value_name="measure (0 to 1)",
                what="For each headline dev measure, one bar per version, from 0 to 1; higher is better. The table "
                "of dev measures gives the same figures.",
            )
        )
    errors = [group_errors(dev_measures(record)["functional"]) for record in versions]
    found = _union(versions, lambda r: group_errors(dev_measures(r)["functional"]), GROUPS)
    groups = [group for group in found if group != NO_GROUP]
    for slug, rate, title, value_name, what in (
        (
            "false-alarms",
            "false_alarm_rate",
            "False alarms per group",
            "false-alarm rate (0 to 1)",
            "the share of not-hateful cases naming the group scored hateful",
        ),
        (
            "hate-missed",
            "miss_rate",
            "Hate missed per group",
            "miss rate (0 to 1)",
            "the share of hateful cases aimed at the group scored not hateful",
        ),
    ):
        rows = [(group, [(counts.get(group) or {}).get(rate) for counts in errors]) for group in groups]
        if any(value is not None for _, values in rows for value in values):
            charts.append(
                _rates_chart(
                    slug,
                    f"{title} on the functional suite",
                    rows,
                    names,
                    category_name="group",
                    value_name=value_name,
                    what=f"For each group, one bar per version: {what}, from 0 to 1; lower is better. The table of "
                    "per-group error rates gives the same figures with their counts.",
                )
            )
    return charts


def _rates_chart(
    slug: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[float | None]]],
    versions: Sequence[str],
    *,
    category_name: str,
    value_name: str,
    what: str,
) -> Chart:
    """Bars on a fixed 0 to 1 scale: for each row a bar per version, side by side."""
    return chart(
        slug=slug,
        title=title,
        labels=[label for label, _ in rows],
        series=[(version, [values[index] for _, values in rows]) for index, version in enumerate(versions)],
        category_name=category_name,
        value_name=value_name,
        value_max=1,
        decimals=3,
        summary=f"Bar chart: {title}. {what} {IN_THE_TABLE}",
    )


def score_histogram_chart(slug: str, title: str, counts: Sequence[int], *, counted: str) -> Chart:
    """How many ``counted`` (examples, reports) a version scored in each tenth of the score range."""
    return chart(
        slug=slug,
        title=title,
        labels=[f"scores from {band.replace('–', ' to ')}" for band in SCORE_BANDS],
        short_labels=SCORE_BANDS,
        series=[(counted, list(counts))],
        category_name="score",
        value_name=counted,
        horizontal=False,
    )
