"""Training a version from named data, measuring it on the dev measures, storing it, and shipping it.

One path for every way a model is made: ``manage.py train_classifier``, ``make model`` and the
retraining an admin starts from the classifier versions page all call ``train_version``.

Recipes name the data a model learns from:

- ``public``: the seed corpus, the Stormfront training sentences, the human-written ToxiGen sentences
  and the Davidson tweets without their held-out part. The model the Hub ships and serves.
- ``light``: the seed corpus alone; small and quick, and needs no data from elsewhere.

The Stormfront test sample and the Davidson held-out part are never trained on: they are dev measures.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from triage.classifier.datasets import Dataset, DatasetError, load_dataset
from triage.classifier.seed_corpus import Example

Progress = Callable[[str], None]

RECIPES: dict[str, tuple[str, ...]] = {
    "public": ("seed", "stormfront", "toxigen", "davidson"),
    "light": ("seed",),
}
DEFAULT_RECIPE = "public"
# How much an example counts in training beside the others, by data set, or by data set and the source's own
# class; anything not named counts once. Only the ratios matter (the model scales them to a mean of one).
# - The seed corpus is small beside the public data, and it alone holds hate carried by a slur, counter-speech
#   that quotes one, and warm statements about each group: it counts three times.
# - Davidson et al. label most tweets that use a slur "offensive" (not hate), whoever they are aimed at; the Hub
#   treats a slur aimed at a group as hate, so those tweets teach the opposite of what officers need. They count
#   a tenth: still enough to say that swearing alone is not hate.
TRAINING_WEIGHTS: dict[str | tuple[str, str], float] = {"seed": 3.0, ("davidson", "offensive"): 0.1}
SHIPPED_DIR = Path(__file__).parent / "shipped"
SHIPPED_ARTIFACT = SHIPPED_DIR / "public.skops"
SHIPPED_MANIFEST = SHIPPED_DIR / "public.json"
# An artifact in the repository stays under this size.
SHIPPED_MAX_BYTES = 25 * 1024 * 1024
# Share of examples held out when no public dev data is at hand.
HELD_OUT_SHARE = 0.2
# Formats that are measures, never training data.
NEVER_TRAINED_ON = {
    "functional": "The functional suite is the independent check: evaluate on it, never train on it.",
    "stormfront-test": "The Stormfront test sample is a dev measure: evaluate on it, never train on it.",
}


def _quiet(message: str) -> None:
    """The default progress reporter: says nothing."""


@dataclass(frozen=True)
class Source:
    format: str
    path: str | None = None

    def label(self) -> str:
        return f"{self.format} {self.path}" if self.path else self.format


def recipe_sources(recipe: str, directory: Path | None = None) -> list[Source]:
    """The data a recipe names, with the public data sets found in ``directory`` (or CLASSIFIER_DATA_DIR)."""
    from triage.classifier.dev import DATA_FILES, data_path

    if recipe not in RECIPES:
        raise DatasetError(f"Unknown recipe {recipe!r}: use one of {', '.join(RECIPES)}.")
    return [
        Source(name, str(data_path(name, directory))) if name in DATA_FILES else Source(name)
        for name in RECIPES[recipe]
    ]


def read_sources(sources: Sequence[Source], progress: Progress = _quiet) -> list[Dataset]:
    """Load each source for training; the Davidson held-out part is taken out of any Davidson file."""
    from triage.classifier.dev import without_davidson_held_out

    datasets = []
    for number, source in enumerate(sources, start=1):
        if source.format in NEVER_TRAINED_ON:
            raise DatasetError(NEVER_TRAINED_ON[source.format])
        progress(f"[{number}/{len(sources)}] reading {source.label()}")
        loaded = load_dataset(source.format, source.path)
        if source.format == "davidson":
            loaded = without_davidson_held_out(loaded)
        loaded = weighted(loaded, source.format)
        progress(f"      {len(loaded.examples)} examples, {sum(e.label for e in loaded.examples)} hateful")
        datasets.append(loaded)
    return datasets


def weighted(dataset: Dataset, format: str) -> Dataset:
    """``dataset`` with each example's training weight set from TRAINING_WEIGHTS, noted in its summary."""
    classes = dataset.classes or [None] * len(dataset.examples)
    weights = [TRAINING_WEIGHTS.get((format, kind), TRAINING_WEIGHTS.get(format, 1.0)) for kind in classes]
    if all(weight == 1.0 for weight in weights):
        return dataset
    examples = [replace(example, weight=weight) for example, weight in zip(dataset.examples, weights, strict=True)]
    noted = {
        key if isinstance(key, str) else "/".join(key): value
        for key, value in TRAINING_WEIGHTS.items()
        if (key if isinstance(key, str) else key[0]) == format
    }
    return replace(dataset, examples=examples, details={**dataset.details, "training_weights": noted})


def build_model(*, seed: int, features: str):
    from triage.classifier.model import HubClassifier

    return HubClassifier(seed=seed, feature_set=features)


def _fit(examples: Sequence[Example], *, seed: int, features: str):
    from triage.classifier.training import fit

    return fit(build_model(seed=seed, features=features), examples)


def dev_measures(
    model,
    examples: Sequence[Example],
    *,
    seed: int,
    features: str,
    data_directory: Path | None = None,
    progress: Progress = _quiet,
) -> dict:
    """Every dev measure of ``model`` (trained on ``examples``); the public ones only where their data is found.

    ToxiGen leave-one-group-out refits the recipe's hateful head once per group, without that group's sentences
    (``HubClassifier.head_refitter``); when the examples hold no ToxiGen sentence, every group is unseen already
    and the model is scored as it is."""
    from triage.classifier.dev import DevData, scored_measures, toxigen_direct_measure, toxigen_logo_measure

    try:
        data = DevData.load(data_directory)
    except DatasetError as exc:
        progress(f"Public dev data not found ({exc}); measuring on the functional suite only.")
        data = None
    progress("Measuring on the dev measures...")
    measures = scored_measures(model.predict_proba, data)
    if data is None:
        return measures
    groups = {example.together for example in data.toxigen.examples}
    if any(example.together in groups for example in examples):
        held_texts = [example.text for example in data.toxigen.examples]
        # The ToxiGen sentences are scored from the same features; as rows they are never kept.
        refit = model.head_refitter(
            [example.text for example in examples] + held_texts,
            [example.label for example in examples] + [0] * len(held_texts),
            [example.weight for example in examples] + [1.0] * len(held_texts),
        )

        def train_without(group: str):
            keep = [example.together != group for example in examples] + [False] * len(held_texts)
            scored = dict(zip(held_texts, refit(keep)[len(examples) :], strict=True))
            return lambda batch: [scored[text] for text in batch]

        measures["toxigen_logo"] = toxigen_logo_measure(train_without, data, progress=progress)
    else:
        measures["toxigen_logo"] = toxigen_direct_measure(model.predict_proba, data)
    return measures


def train_version(
    sources: Sequence[Source],
    *,
    seed: int = 0,
    features: str = "tfidf",
    trained_by: str,
    recipe: str = "",
    command: str = "",
    activate: bool = False,
    data_directory: Path | None = None,
    progress: Progress = _quiet,
):
    """Train on ``sources``, measure, store the version (active when asked or when none is) and return it."""
    from triage.classifier import registry
    from triage.models import ClassifierVersion

    datasets = read_sources(sources, progress)
    examples = [example for loaded in datasets for example in loaded.examples]
    if len({example.label for example in examples}) < 2:
        raise DatasetError("The data holds only one label: a classifier needs hateful and non-hateful examples.")
    progress(f"Training on {len(examples)} examples...")
    started = time.monotonic()
    model = _fit(examples, seed=seed, features=features)
    seconds = round(time.monotonic() - started, 2)
    progress(f"  trained in {seconds:.1f} s")
    dev = dev_measures(model, examples, seed=seed, features=features, data_directory=data_directory, progress=progress)
    if "stormfront_test" not in dev:
        # Without the public data, a held-out split (no template, writer or group on both sides) says the rest.
        from triage.classifier.training import measure, split

        train, test = split(examples, test_size=HELD_OUT_SHARE, seed=seed)
        progress(f"No public dev data: measuring on a held-out split ({len(test)} examples kept apart)...")
        dev["held_out"] = measure(_fit(train, seed=seed, features=features), test)
    metrics = {
        "dev": dev,
        "held_out": dev.get("held_out"),
        "functional": dev["functional"],
        "train_examples": len(examples),
        "training_seconds": seconds,
    }
    manifest = {
        "recipe": recipe,
        "seed": seed,
        "features": features,
        "command": command,
        "datasets": [loaded.summary() for loaded in datasets],
    }
    return registry.save_version(
        model,
        metrics=metrics,
        training_data=manifest,
        trained_by=trained_by,
        activate=activate or ClassifierVersion.objects.active() is None,
        feature_set=features,
    )


# Shipping -----------------------------------------------------------------------------------------


def ship(record) -> Path:
    """Copy ``record``'s artifact into the repository with its manifest (data, metrics, checksum)."""
    from django.conf import settings

    source = Path(settings.MODEL_DIR) / record.artifact_path
    size = source.stat().st_size
    if size > SHIPPED_MAX_BYTES:
        raise DatasetError(
            f"The artifact is {size / 1e6:.1f} MB, over the {SHIPPED_MAX_BYTES / 1e6:.0f} MB a shipped model may be."
        )
    SHIPPED_DIR.mkdir(exist_ok=True)
    shutil.copyfile(source, SHIPPED_ARTIFACT)
    manifest = {
        "version": record.version,
        "sha256": record.artifact_sha256,
        "bytes": size,
        "feature_set": record.feature_set,
        "training_data": record.training_data,
        "metrics": record.metrics,
    }
    SHIPPED_MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return SHIPPED_ARTIFACT


def shipped_manifest() -> dict | None:
    if not SHIPPED_MANIFEST.is_file():
        return None
    return json.loads(SHIPPED_MANIFEST.read_text(encoding="utf-8"))


def load_shipped_model():
    """The shipped model, read from the repository after checking its SHA-256 and the types it holds."""
    from triage.classifier import registry
    from triage.models import ClassifierVersion

    manifest = shipped_manifest()
    if manifest is None or not SHIPPED_ARTIFACT.is_file():
        raise registry.ArtifactError(f"No shipped model at {SHIPPED_ARTIFACT}: run `make model` to build one.")
    record = ClassifierVersion(
        version=manifest["version"], artifact_path=str(SHIPPED_ARTIFACT), artifact_sha256=manifest["sha256"]
    )
    return registry.load_model(record)


def install_shipped(*, by: str, activate: bool = True):
    """Register the shipped artifact as a version (once) after checking its SHA-256; activate it when asked.

    Returns the version, or None when the repository holds no shipped model."""
    from django.conf import settings

    from triage.classifier import registry
    from triage.models import ClassifierVersion

    manifest = shipped_manifest()
    if manifest is None or not SHIPPED_ARTIFACT.is_file():
        return None
    if registry.file_sha256(SHIPPED_ARTIFACT) != manifest["sha256"]:
        raise registry.ArtifactError(
            f"The shipped model {SHIPPED_ARTIFACT} does not match the SHA-256 in {SHIPPED_MANIFEST}; refusing it. "
            "Restore both files from the repository, or run `make model` to rebuild them."
        )
    record = ClassifierVersion.objects.filter(artifact_sha256=manifest["sha256"]).first()
    if record is None:
        model_dir = Path(settings.MODEL_DIR)
        model_dir.mkdir(parents=True, exist_ok=True)
        name = f"{manifest['version']}.skops"
        shutil.copyfile(SHIPPED_ARTIFACT, model_dir / name)
        record = ClassifierVersion.objects.create(
            version=manifest["version"],
            artifact_path=name,
            artifact_sha256=manifest["sha256"],
            metrics=manifest["metrics"],
            training_data={**manifest["training_data"], "shipped": True},
            trained_by=manifest["training_data"].get("trained_by", "shipped with the Hub"),
            feature_set=manifest["feature_set"],
        )
    if activate and not record.is_active:
        registry.activate_version(record.version, by=by, force=False)
        record.refresh_from_db()
    return record
