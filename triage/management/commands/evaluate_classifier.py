"""Measure a stored classifier version on any data set, and on the functional suite."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from triage.classifier.functional import format_report
from triage.management.classifier_cli import add_dataset_argument, load_version, print_metrics, read_datasets
from triage.models import ClassifierVersion


class Command(BaseCommand):
    help = (
        "Re-run a version's metrics on other data. "
        "Example: manage.py evaluate_classifier 20261128T101500-1a2b3c4d --dataset hatexplain dataset.json"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", help="A version from `manage.py activate_model --list`, or `active`.")
        add_dataset_argument(parser)

    def handle(self, *args, version: str, dataset=None, **options) -> None:
        from triage.classifier.training import measure, measure_functional

        record, model = load_version(version)
        self.stdout.write(f"Model {record.version} ({record.feature_set}{', active' if record.is_active else ''})")

        evaluations = dict(record.metrics.get("evaluations", {}))
        for loaded in read_datasets(self, dataset or []):
            self.stdout.write(f"Measuring on {loaded.name} ({len(loaded.examples)} examples)...")
            measured = measure(model, loaded.examples)
            print_metrics(self, measured)
            evaluations[f"{loaded.name} {loaded.sha256[:12]}"] = {"dataset": loaded.summary(), **measured}

        functional = measure_functional(model)
        self.stdout.write(format_report(functional))
        metrics = {**record.metrics, "evaluations": evaluations, "functional": functional}
        ClassifierVersion.objects.filter(pk=record.pk).update(metrics=metrics)
        self.stdout.write(self.style.SUCCESS(f"Recorded on model {record.version}."))
