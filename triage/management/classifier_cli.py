"""What the classifier commands share: reading --dataset arguments and printing metrics."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser


def add_dataset_argument(parser: CommandParser, *, required: bool = False) -> None:
    from triage.classifier.datasets import FORMATS

    formats = "; ".join(f"{name}: {meaning}" for name, meaning in FORMATS.items())
    parser.add_argument(
        "--dataset",
        nargs="+",
        action="append",
        metavar=("FORMAT", "PATH"),
        required=required,
        help=f"A data set, repeatable. FORMAT is one of: {formats}.",
    )


def read_datasets(command: BaseCommand, specs: list[list[str]]) -> list:
    """Load each --dataset FORMAT [PATH], saying what was read; a bad one stops the command with the reason."""
    from triage.classifier.datasets import DatasetError, load_dataset

    datasets = []
    for index, spec in enumerate(specs, start=1):
        if len(spec) > 2:
            raise CommandError(f"--dataset takes FORMAT and at most one PATH, got {' '.join(spec)}.")
        fmt, path = spec[0], (spec[1] if len(spec) > 1 else None)
        command.stdout.write(f"[{index}/{len(specs)}] reading {fmt} {path or ''}".rstrip())
        try:
            loaded = load_dataset(fmt, path)
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        command.stdout.write(f"      {len(loaded.examples)} examples, {sum(e.label for e in loaded.examples)} hateful")
        datasets.append(loaded)
    return datasets


def _value(metrics: dict, key: str) -> str:
    value = metrics.get(key)
    return "n/a" if value is None else f"{value:.3f}"


def print_metrics(command: BaseCommand, measured: dict, functional: dict | None = None) -> None:
    """Overall, per-category and per-group figures, then the functional suite's report."""
    from triage.classifier.functional import format_report

    write = command.stdout.write
    hateful = measured["hateful"]
    write(
        f"  hateful: ROC-AUC {_value(hateful, 'roc_auc')}  precision {_value(hateful, 'precision')}  "
        f"recall {_value(hateful, 'recall')}  F1 {_value(hateful, 'f1')}  macro-F1 {_value(hateful, 'macro_f1')}  "
        f"(threshold {measured['threshold']}, {hateful['examples']} examples, {hateful['positives']} hateful)"
    )
    for slug, figures in measured.get("categories", {}).items():
        write(
            f"  category {slug:<20} ROC-AUC {_value(figures, 'roc_auc')}  P {_value(figures, 'precision')}  "
            f"R {_value(figures, 'recall')}  F1 {_value(figures, 'f1')}  ({figures['positives']} aimed at it)"
        )
    for slug, counts in measured.get("groups", {}).items():
        write(
            f"  group {slug:<23} false positives {_value(counts, 'fpr')} of {counts['not_hateful']} not hateful; "
            f"missed {_value(counts, 'miss_rate')} of {counts['hateful']} hateful"
        )
    if functional:
        write(format_report(functional))


def format_dev_measures(measures: dict) -> list[str]:
    """The dev measures as lines of text: Stormfront, ToxiGen per group, Davidson, then the functional suite."""
    from triage.classifier.functional import format_report

    lines = []
    stormfront = measures.get("stormfront_test")
    if stormfront:
        lines.append(
            f"Stormfront test sample ({stormfront['examples']}): macro-F1 {stormfront['macro_f1']:.3f}  "
            f"ROC-AUC {stormfront['roc_auc']:.3f}"
        )
    toxigen = measures.get("toxigen_logo")
    if toxigen:
        lines.append(f"ToxiGen leave-one-group-out: mean macro-F1 {toxigen['mean_macro_f1']:.3f}")
        lines.extend(
            f"  {group:<22} macro-F1 {row['macro_f1']:.3f}  ({row['examples']} sentences)"
            for group, row in toxigen["groups"].items()
        )
    davidson = measures.get("davidson_held_out")
    if davidson:
        lines.append(
            f"Davidson held-out part ({davidson['examples']}): hate vs rest ROC-AUC {davidson['hate_roc_auc']:.3f}  "
            f"abusive vs neither ROC-AUC {davidson['abusive_roc_auc']:.3f}"
        )
    if not stormfront:
        lines.append("Public dev data not found: set CLASSIFIER_DATA_DIR or pass --data-dir (see docs/classifier.md).")
    if measures.get("functional"):
        lines.append(format_report(measures["functional"]))
    return lines


def print_dev_measures(command: BaseCommand, measures: dict) -> None:
    if measures.get("held_out"):
        command.stdout.write(f"Held-out split ({measures['held_out']['hateful']['examples']} examples):")
        print_metrics(command, measures["held_out"])
    for line in format_dev_measures(measures):
        command.stdout.write(line)


def load_version(name: str):
    """The stored version called ``name`` (or the active one, for ``active``) and its loaded model."""
    from triage.classifier.registry import ArtifactError, load_model
    from triage.models import ClassifierVersion

    if name == "active":
        record = ClassifierVersion.objects.active()
        if record is None:
            raise CommandError("No model is active: train one with manage.py train_classifier.")
    else:
        record = ClassifierVersion.objects.filter(version=name).first()
        if record is None:
            raise CommandError(f"There is no model version {name!r}: see manage.py activate_model --list.")
    try:
        return record, load_model(record)
    except ArtifactError as exc:
        raise CommandError(str(exc)) from exc
