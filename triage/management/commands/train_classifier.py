"""Train a classifier version, measure it on a held-out split, store and optionally activate it."""

from __future__ import annotations

import getpass
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.models import ClassifierVersion


class Command(BaseCommand):
    help = (
        "Train a scoring model. With no --dataset it uses the project's own seed corpus. "
        "Example: manage.py train_classifier --dataset seed --dataset csv extra.csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dataset",
            nargs="+",
            action="append",
            metavar=("FORMAT", "PATH"),
            help="A data set to train on: FORMAT is seed (no path) or csv (text,label[,categories]). Repeatable.",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed; the same seed gives the same model.")
        parser.add_argument("--activate", action="store_true", help="Make the new version active.")
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="Do nothing when a model is already active (used by `make run`).",
        )

    def handle(self, *args, dataset=None, seed: int, activate: bool, if_none: bool, **options) -> None:
        from triage.classifier import registry
        from triage.classifier.datasets import DatasetError, load_dataset
        from triage.classifier.pipeline import build_pipeline
        from triage.classifier.training import train_and_measure

        if if_none:
            active = ClassifierVersion.objects.active()
            if active is not None:
                self.stdout.write(f"Model {active.version} is active; nothing to train.")
                return

        specs = dataset or [["seed"]]
        datasets = []
        for index, spec in enumerate(specs, start=1):
            fmt, path = spec[0], (spec[1] if len(spec) > 1 else None)
            if len(spec) > 2:
                raise CommandError(f"--dataset takes FORMAT and at most one PATH, got {' '.join(spec)}.")
            self.stdout.write(f"[{index}/{len(specs)}] reading {fmt} {path or ''}".rstrip())
            try:
                loaded = load_dataset(fmt, path)
            except DatasetError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"      {len(loaded.examples)} examples, {sum(e.label for e in loaded.examples)} hateful")
            datasets.append(loaded)

        examples = [example for loaded in datasets for example in loaded.examples]
        if len({example.label for example in examples}) < 2:
            raise CommandError("The data holds only one label: a classifier needs hateful and non-hateful examples.")

        self.stdout.write(f"Training on {len(examples)} examples (held-out split 20%, seed {seed})...")
        started = time.monotonic()
        pipeline, metrics = train_and_measure(build_pipeline, examples, seed=seed)
        metrics["training_seconds"] = round(time.monotonic() - started, 2)
        held_out = metrics["held_out"]
        self.stdout.write(
            "Held-out: ROC-AUC {roc} precision {p} recall {r} F1 {f1} at threshold {t}".format(
                roc=held_out.get("roc_auc", "n/a"),
                p=held_out["precision"],
                r=held_out["recall"],
                f1=held_out["f1"],
                t=held_out["threshold"],
            )
        )

        make_active = activate or ClassifierVersion.objects.active() is None
        record = registry.save_version(
            pipeline,
            metrics=metrics,
            training_data={"seed": seed, "datasets": [loaded.summary() for loaded in datasets]},
            trained_by=getpass.getuser(),
            activate=make_active,
        )
        state = "active" if record.is_active else "stored, not active (use --activate)"
        self.stdout.write(self.style.SUCCESS(f"Model {record.version} {state}: {record.artifact_path}"))
