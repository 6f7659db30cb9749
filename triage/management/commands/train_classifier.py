"""Train a classifier version, measure it on a held-out split and the functional suite, store it."""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.management.classifier_cli import add_dataset_argument, print_metrics, read_datasets
from triage.models import ClassifierVersion


class Command(BaseCommand):
    help = (
        "Train a scoring model. With no --dataset it uses the project's own seed corpus. "
        "Example: manage.py train_classifier --dataset seed --dataset davidson labeled_data.csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_dataset_argument(parser)
        parser.add_argument("--seed", type=int, default=0, help="Random seed; the same seed gives the same model.")
        parser.add_argument(
            "--features",
            default="tfidf",
            choices=("tfidf", "tfidf+wordllama"),
            help="tfidf (the light default) or tfidf+wordllama (adds sentence embeddings; needs wordllama installed).",
        )
        parser.add_argument(
            "--activate",
            action="store_true",
            help="Make the new version active straight away, without comparing it with the active one.",
        )
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="Do nothing when a model is already active (used by `make run`).",
        )

    def handle(self, *args, dataset=None, seed: int, features: str, activate: bool, if_none: bool, **options):
        from triage.classifier import registry
        from triage.classifier.model import HubClassifier
        from triage.classifier.training import train_and_measure

        if if_none:
            active = ClassifierVersion.objects.active()
            if active is not None:
                self.stdout.write(f"Model {active.version} is active; nothing to train.")
                return

        datasets = read_datasets(self, dataset or [["seed"]])
        if any(loaded.name == "functional suite" for loaded in datasets):
            raise CommandError("The functional suite is the independent check: evaluate on it, never train on it.")
        examples = [example for loaded in datasets for example in loaded.examples]
        if len({example.label for example in examples}) < 2:
            raise CommandError("The data holds only one label: a classifier needs hateful and non-hateful examples.")

        def build(seed: int) -> HubClassifier:
            return HubClassifier(seed=seed, feature_set=features)

        model, metrics = train_and_measure(build, examples, seed=seed, progress=self.stdout.write)
        self.stdout.write(f"Held-out split ({metrics['test_examples']} examples):")
        print_metrics(self, metrics["held_out"], metrics["functional"])

        make_active = activate or ClassifierVersion.objects.active() is None
        record = registry.save_version(
            model,
            metrics=metrics,
            training_data={"seed": seed, "features": features, "datasets": [loaded.summary() for loaded in datasets]},
            trained_by=getpass.getuser(),
            activate=make_active,
            feature_set=features,
        )
        state = "active" if record.is_active else "stored, not active (manage.py activate_model VERSION)"
        self.stdout.write(self.style.SUCCESS(f"Model {record.version} {state}: {record.artifact_path}"))
