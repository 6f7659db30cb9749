"""The dev measures: how a scorer does on public text it was not trained on.

Four measures, each from a data set in ``CLASSIFIER_DATA_DIR`` (``../shared/datasets`` by default):

- **Stormfront test sample**: the authors' balanced 478 sentences (de Gibert et al. 2018), which no
  training recipe reads; macro-F1 at the operating threshold and ROC-AUC.
- **ToxiGen leave-one-group-out**: for each target group, the recipe's hateful head refitted without
  that group's sentences, tested on them; macro-F1 per group and their mean. The features (n-gram
  vocabulary and weights, which count no label) are the trained model's, so no label of the group is
  seen. It needs the training data, not only a model: a stored version carries the figure measured
  when it was trained.
- **Davidson held-out part**: a fifth of the Davidson et al. (2017) training CSV, chosen by a fixed
  seed and stratified by class, that recipes leave out; hate vs rest and abusive (hate or
  offensive) vs neither ROC-AUC of the same score.
- **Functional suite**: the project's own cases, per phenomenon and per group.

Everything here takes a ``score`` function (texts → probabilities hateful), so the Hub's models and
pre-trained peers are measured alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from triage.classifier.datasets import Dataset, DatasetError, load_dataset
from triage.classifier.labelled import digest_of
from triage.classifier.seed_corpus import Example
from triage.classifier.training import OPERATING_THRESHOLD

Score = Callable[[Sequence[str]], Sequence[float]]

# Where each public data set lies under the data directory.
DATA_FILES = {
    "davidson": Path("davidson2017") / "labeled_data_train.csv",
    "stormfront": Path("stormfront2018") / "stormfront_sentences.csv",
    "toxigen": Path("toxigen_seed_sentences") / "toxigen_seed_sentences.csv",
}
# The Davidson held-out part: this share of rows, chosen with this seed whatever the training seed.
DAVIDSON_HELD_OUT_SHARE = 0.2
DAVIDSON_SPLIT_SEED = 0


def data_dir() -> Path:
    from django.conf import settings

    return Path(settings.CLASSIFIER_DATA_DIR)


def data_path(name: str, directory: Path | None = None) -> Path:
    """The file of public data set ``name``; DatasetError, naming the fix, when it is not there."""
    path = (directory or data_dir()) / DATA_FILES[name]
    if not path.is_file():
        raise DatasetError(
            f"The {name} data set is not at {path}. Put the public data sets there (see docs/classifier.md) "
            "or set CLASSIFIER_DATA_DIR to the folder that holds them."
        )
    return path


def davidson_parts(dataset: Dataset) -> tuple[list[int], list[int]]:
    """Row indices of the Davidson training part and of the held-out part, the same on every run."""
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(dataset.examples))
    train, held_out = train_test_split(
        rows, test_size=DAVIDSON_HELD_OUT_SHARE, random_state=DAVIDSON_SPLIT_SEED, stratify=dataset.classes
    )
    return sorted(train.tolist()), sorted(held_out.tolist())


def without_davidson_held_out(dataset: Dataset) -> Dataset:
    """``dataset`` (Davidson) with its held-out part taken out, so the dev measure stays unseen."""
    train, held_out = davidson_parts(dataset)
    examples = [dataset.examples[row] for row in train]
    classes = [dataset.classes[row] for row in train]
    details = {**dataset.details, "left_out_for_dev": len(held_out), "source_sha256": dataset.sha256}
    return Dataset(f"{dataset.name} (training part)", examples, digest_of(examples), classes, details)


@dataclass
class DevData:
    """The held-out text every dev measure reads, loaded once."""

    stormfront_test: Dataset
    toxigen: Dataset
    davidson_held_out: list[tuple[str, str]]  # (text, class)
    sha256: dict[str, str]

    @classmethod
    def load(cls, directory: Path | None = None) -> DevData:
        stormfront_test = load_dataset("stormfront-test", str(data_path("stormfront", directory)))
        toxigen = load_dataset("toxigen", str(data_path("toxigen", directory)))
        davidson = load_dataset("davidson", str(data_path("davidson", directory)))
        _, held_out = davidson_parts(davidson)
        return cls(
            stormfront_test=stormfront_test,
            toxigen=toxigen,
            davidson_held_out=[(davidson.examples[row].text, davidson.classes[row]) for row in held_out],
            sha256={
                "stormfront test": stormfront_test.sha256,
                "toxigen": toxigen.sha256,
                "davidson": davidson.sha256,
            },
        )


def _round(value: float) -> float:
    return round(float(value), 4)


def _macro_f1(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    from sklearn.metrics import f1_score

    return _round(f1_score(labels, (scores >= threshold).astype(int), average="macro", labels=[0, 1], zero_division=0))


def stormfront_measure(score: Score, data: DevData, threshold: float = OPERATING_THRESHOLD) -> dict:
    from sklearn.metrics import roc_auc_score

    labels = np.array([example.label for example in data.stormfront_test.examples])
    scores = np.asarray(score([example.text for example in data.stormfront_test.examples]), dtype=float)
    return {
        "examples": len(labels),
        "macro_f1": _macro_f1(labels, scores, threshold),
        "roc_auc": _round(roc_auc_score(labels, scores)),
    }


def davidson_measure(score: Score, data: DevData) -> dict:
    from sklearn.metrics import roc_auc_score

    classes = np.array([kind for _, kind in data.davidson_held_out])
    scores = np.asarray(score([text for text, _ in data.davidson_held_out]), dtype=float)
    return {
        "examples": len(classes),
        "hate_roc_auc": _round(roc_auc_score(classes == "hate", scores)),
        "abusive_roc_auc": _round(roc_auc_score(classes != "neither", scores)),
    }


def toxigen_groups(data: DevData) -> list[str]:
    """The ToxiGen target groups that have both hateful and neutral sentences."""
    found: dict[str, set[int]] = {}
    for example in data.toxigen.examples:
        found.setdefault(example.together, set()).add(example.label)
    return sorted(group for group, labels in found.items() if labels == {0, 1})


def toxigen_logo_measure(
    train_without: Callable[[str], Score],
    data: DevData,
    *,
    threshold: float = OPERATING_THRESHOLD,
    progress: Callable[[str], None] = lambda message: None,
) -> dict:
    """Leave one group out: ``train_without(group)`` gives a scorer trained without that group's sentences."""
    groups = toxigen_groups(data)
    per_group = {}
    for number, group in enumerate(groups, start=1):
        progress(f"  ToxiGen leave-one-group-out: {number}/{len(groups)} ({group})")
        held = [example for example in data.toxigen.examples if example.together == group]
        labels = np.array([example.label for example in held])
        scores = np.asarray(train_without(group)([example.text for example in held]), dtype=float)
        per_group[group.removeprefix("toxigen ")] = {
            "examples": len(held),
            "macro_f1": _macro_f1(labels, scores, threshold),
        }
    mean = _round(np.mean([row["macro_f1"] for row in per_group.values()])) if per_group else None
    return {"mean_macro_f1": mean, "groups": per_group}


def toxigen_direct_measure(score: Score, data: DevData, threshold: float = OPERATING_THRESHOLD) -> dict:
    """Per-group macro-F1 of a scorer that never trains here (a pre-trained peer): not left out, just scored."""
    per_group = {}
    for group in toxigen_groups(data):
        held = [example for example in data.toxigen.examples if example.together == group]
        labels = np.array([example.label for example in held])
        scores = np.asarray(score([example.text for example in held]), dtype=float)
        per_group[group.removeprefix("toxigen ")] = {
            "examples": len(held),
            "macro_f1": _macro_f1(labels, scores, threshold),
        }
    return {"mean_macro_f1": _round(np.mean([row["macro_f1"] for row in per_group.values()])), "groups": per_group}


def functional_measure(score: Score, threshold: float = OPERATING_THRESHOLD) -> dict:
    from triage.classifier.functional import load_suite, suite_report

    cases = load_suite()
    return suite_report(cases, [float(value) for value in score([case.text for case in cases])], threshold=threshold)


def scored_measures(score: Score, data: DevData | None) -> dict:
    """The measures that need only scores: Stormfront, Davidson (when the data is there) and the functional suite."""
    measures = {"functional": functional_measure(score), "data_sha256": {"functional suite": suite_sha256()}}
    if data is not None:
        measures["stormfront_test"] = stormfront_measure(score, data)
        measures["davidson_held_out"] = davidson_measure(score, data)
        measures["data_sha256"].update(data.sha256)
    return measures


def suite_sha256() -> str:
    """The functional suite's cases, digested: figures taken on one suite compare only with figures on the same."""
    from triage.classifier.datasets import load_dataset

    return load_dataset("functional", None).sha256


# The headline of each measure, as the activation gate and the summaries read them.
HEADLINES = {
    "stormfront_macro_f1": ("stormfront_test", "macro_f1"),
    "toxigen_logo_macro_f1": ("toxigen_logo", "mean_macro_f1"),
    "davidson_hate_roc_auc": ("davidson_held_out", "hate_roc_auc"),
    "functional_macro_f1": ("functional", "macro_f1"),
}


def headlines(measures: dict) -> dict[str, float]:
    """The headline figures found in ``measures`` (dev measures as stored on a version)."""
    found = {}
    for name, (part, key) in HEADLINES.items():
        value = (measures.get(part) or {}).get(key)
        if value is not None:
            found[name] = value
    return found


def training_examples_without_group(examples: Sequence[Example], group: str) -> list[Example]:
    return [example for example in examples if example.together != group]
