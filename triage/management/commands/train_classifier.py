"""Train a classifier version, measure it on the dev measures, store it; optionally ship it in the repository."""

from __future__ import annotations

import getpass
import shlex
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.management.classifier_cli import add_dataset_argument, print_dev_measures
from triage.models import ClassifierVersion


class Command(BaseCommand):
    help = (
        "Train a scoring model from a recipe (public: seed corpus, Stormfront, ToxiGen and Davidson from "
        "--data-dir; light: the seed corpus alone) or from --dataset arguments. "
        "Example: manage.py train_classifier --recipe public --data-dir ../shared/datasets"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        from triage.classifier.model import FEATURE_SETS
        from triage.classifier.pipeline import RECIPES

        add_dataset_argument(parser)
        parser.add_argument(
            "--recipe",
            choices=sorted(RECIPES),
            help="Named training data; without it and without --dataset, the light recipe (seed corpus only).",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="Folder holding the public data sets (default: the CLASSIFIER_DATA_DIR setting).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed; the same seed gives the same model.")
        parser.add_argument(
            "--features",
            default="tfidf",
            choices=FEATURE_SETS,
            help="tfidf (the default, served) or a variant with sentence embeddings (wordllama, minilm; their "
            "encoders install from requirements-bench-encoders.txt).",
        )
        parser.add_argument(
            "--activate",
            action="store_true",
            help="Make the new version active straight away, without comparing it with the active one.",
        )
        parser.add_argument(
            "--ship",
            action="store_true",
            help="Also write the artifact and its manifest into the repository as the shipped model (make model).",
        )
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="When no model is active, or the active one was trained with an earlier text pipeline, "
            "activate the shipped one (or train the light one if none is shipped); "
            "otherwise do nothing. Used by `make run`.",
        )

    def handle(self, *args, dataset=None, recipe, data_dir, seed, features, activate, ship, if_none, **options):
        from triage.classifier import pipeline
        from triage.classifier.datasets import DatasetError
        from triage.classifier.registry import ActivationRefused, ArtifactError, stale

        by = getpass.getuser()
        if if_none:
            active = ClassifierVersion.objects.active()
            if active is not None and not stale(active):
                self.stdout.write(f"Model {active.version} is active; nothing to train.")
                return
            if active is not None:
                self.stdout.write(f"Model {active.version} was trained with an earlier text pipeline: replacing it.")
            try:
                shipped = pipeline.install_shipped(by=by)
            except (ArtifactError, ActivationRefused) as exc:
                raise CommandError(str(exc)) from exc
            if shipped is not None:
                self.stdout.write(self.style.SUCCESS(f"Activated the shipped model {shipped.version}."))
                return
            self.stdout.write("No shipped model in this checkout: training the light one from the seed corpus.")
            activate = True
        if dataset and recipe:
            raise CommandError("Give either --recipe or --dataset, not both.")
        try:
            if dataset:
                sources = [pipeline.Source(spec[0], spec[1] if len(spec) > 1 else None) for spec in dataset]
                if any(len(spec) > 2 for spec in dataset):
                    raise CommandError("--dataset takes FORMAT and at most one PATH.")
            else:
                recipe = recipe or "light"
                sources = pipeline.recipe_sources(recipe, data_dir)
            record = pipeline.train_version(
                sources,
                seed=seed,
                features=features,
                trained_by=by,
                recipe=recipe or "",
                command=shlex.join(["manage.py", "train_classifier", *sys.argv[2:]])
                if sys.argv[1:2] == ["train_classifier"]
                else "",
                activate=activate,
                data_directory=data_dir,
                progress=self.stdout.write,
            )
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        print_dev_measures(self, record.metrics["dev"])
        state = "active" if record.is_active else "stored, not active (manage.py activate_model VERSION)"
        self.stdout.write(self.style.SUCCESS(f"Model {record.version} {state}: {record.artifact_path}"))
        if ship:
            try:
                path = pipeline.ship(record)
            except DatasetError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(f"Shipped as {path} with its manifest {pipeline.SHIPPED_MANIFEST}."))
