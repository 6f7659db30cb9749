"""Measure a stored classifier version on the dev measures, and on any other data set."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from triage.management.classifier_cli import (
    add_dataset_argument,
    load_version,
    print_dev_measures,
    print_metrics,
    read_datasets,
)
from triage.models import ClassifierVersion


class Command(BaseCommand):
    help = (
        "Measure a version on the dev measures (Stormfront test sample, Davidson held-out part, functional suite, "
        "and the ToxiGen leave-one-group-out figure stored when it was trained) and on any --dataset. "
        "Example: manage.py evaluate_classifier active --data-dir ../shared/datasets"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", help="A version from `manage.py activate_model --list`, or `active`.")
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="Folder holding the public data sets (default: the CLASSIFIER_DATA_DIR setting).",
        )
        add_dataset_argument(parser)

    def handle(self, *args, version: str, data_dir=None, dataset=None, **options) -> None:
        from triage.classifier.datasets import DatasetError
        from triage.classifier.dev import DevData, scored_measures
        from triage.classifier.training import measure

        record, model = load_version(version)
        self.stdout.write(f"Model {record.version} ({record.feature_set}{', active' if record.is_active else ''})")

        try:
            data = DevData.load(data_dir)
        except DatasetError as exc:
            self.stdout.write(str(exc))
            data = None
        self.stdout.write("Measuring on the dev measures...")
        dev = scored_measures(model.predict_proba, data)
        stored = (record.metrics.get("dev") or {}).get("toxigen_logo")
        if stored:
            dev["toxigen_logo"] = stored
        if data is not None and any(
            summary.get("sha256") == data.sha256["davidson"] for summary in record.training_data.get("datasets", [])
        ):
            self.stdout.write(
                self.style.WARNING(
                    "This version was trained on the whole Davidson file: its Davidson figure is not held out."
                )
            )
        print_dev_measures(self, dev)
        if not stored:
            self.stdout.write("ToxiGen leave-one-group-out: not measured when this version was trained.")

        evaluations = dict(record.metrics.get("evaluations", {}))
        for loaded in read_datasets(self, dataset or []):
            self.stdout.write(f"Measuring on {loaded.name} ({len(loaded.examples)} examples)...")
            measured = measure(model, loaded.examples)
            print_metrics(self, measured)
            evaluations[f"{loaded.name} {loaded.sha256[:12]}"] = {"dataset": loaded.summary(), **measured}

        metrics = {**record.metrics, "evaluations": evaluations, "dev": dev, "functional": dev["functional"]}
        ClassifierVersion.objects.filter(pk=record.pk).update(metrics=metrics)
        self.stdout.write(self.style.SUCCESS(f"Recorded on model {record.version}."))
