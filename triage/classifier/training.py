"""Training a classifier on labelled examples, and measuring any classifier on any data."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from triage.classifier.datasets import Example
from triage.classifier.groups import mentioned_groups

OPERATING_THRESHOLD = 0.5
HELD_OUT_SHARE = 0.2


def _quiet(message: str) -> None:
    """The default progress reporter: says nothing."""


def split(examples: list[Example], *, test_size: float, seed: int) -> tuple[list[Example], list[Example]]:
    """A held-out split, the same for the same seed, that never puts one template, writer or group on both
    sides (``Example.together``; an example without one stands alone), stratified by label as far as that
    allows. A split of templated sentences that shares templates measures only recall of the template."""
    from sklearn.model_selection import StratifiedGroupKFold

    labels = [example.label for example in examples]
    together = [example.together or f"example {index}" for index, example in enumerate(examples)]
    folds = StratifiedGroupKFold(n_splits=max(2, round(1 / test_size)), shuffle=True, random_state=seed)
    train_rows, test_rows = next(folds.split(examples, labels, together))
    return [examples[row] for row in train_rows], [examples[row] for row in test_rows]


def fit(model, examples: Sequence[Example]):
    return model.fit(
        [example.text for example in examples],
        [example.label for example in examples],
        [example.categories for example in examples],
        weights=[example.weight for example in examples],
    )


def _rounded(metrics: dict) -> dict:
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in metrics.items()}


def _binary(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    predicted = (scores >= threshold).astype(int)
    metrics = {
        "examples": int(len(labels)),
        "positives": int(labels.sum()),
        "precision": float(precision_score(labels, predicted, zero_division=0)),
        "recall": float(recall_score(labels, predicted, zero_division=0)),
        "f1": float(f1_score(labels, predicted, zero_division=0)),
        "macro_f1": float(f1_score(labels, predicted, average="macro", labels=[0, 1], zero_division=0)),
    }
    if 0 < labels.sum() < len(labels):
        metrics["roc_auc"] = float(roc_auc_score(labels, scores))
    return _rounded(metrics)


def measure(model, examples: Sequence[Example], *, threshold: float = OPERATING_THRESHOLD) -> dict:
    """Quality of ``model`` on ``examples``: overall, per category, and per group mentioned.

    - ``hateful``: ROC-AUC, precision, recall, F1 and macro-F1 at ``threshold``.
    - ``categories``: the same per category, on examples whose targets are known.
    - ``groups``: for each group, the false-positive rate on non-hateful text that names
      it and the miss rate on hateful text that names it or targets it.
    """
    texts = [example.text for example in examples]
    scorings = model.score(texts)
    labels = np.array([example.label for example in examples], dtype=int)
    scores = np.array([scoring.score for scoring in scorings])
    result = {"threshold": threshold, "hateful": _binary(labels, scores, threshold)}

    known = [index for index, example in enumerate(examples) if example.categories is not None]
    categories = {}
    for slug in getattr(model, "categories_", ()):
        truth = np.array([int(slug in examples[index].categories) for index in known], dtype=int)
        if not len(truth) or not truth.sum():
            continue
        predicted = np.array([scorings[index].categories.get(slug, 0.0) for index in known])
        categories[slug] = _binary(truth, predicted, threshold)
    result["categories"] = categories

    groups: dict[str, dict] = {}
    for index, example in enumerate(examples):
        named = mentioned_groups(example.text) | set(example.categories or ())
        flagged = scores[index] >= threshold
        for slug in named:
            counts = groups.setdefault(slug, {"not_hateful": 0, "false_positives": 0, "hateful": 0, "missed": 0})
            if example.label:
                counts["hateful"] += 1
                counts["missed"] += int(not flagged)
            else:
                counts["not_hateful"] += 1
                counts["false_positives"] += int(flagged)
    for counts in groups.values():
        counts["fpr"] = round(counts["false_positives"] / counts["not_hateful"], 4) if counts["not_hateful"] else None
        counts["miss_rate"] = round(counts["missed"] / counts["hateful"], 4) if counts["hateful"] else None
    result["groups"] = dict(sorted(groups.items()))
    result["score_histogram"] = np.histogram(scores, bins=10, range=(0.0, 1.0))[0].tolist()
    return result


def measure_functional(model, *, threshold: float = OPERATING_THRESHOLD) -> dict:
    """Accuracy on the project's functional suite, per phenomenon and per group."""
    from triage.classifier.functional import load_suite, suite_report

    cases = load_suite()
    scores = model.predict_proba([case.text for case in cases])
    return suite_report(cases, [float(score) for score in scores], threshold=threshold)


def train_and_measure(
    build: Callable,
    examples: list[Example],
    *,
    seed: int,
    test_size: float = HELD_OUT_SHARE,
    progress: Callable[[str], None] = _quiet,
) -> tuple[object, dict]:
    """Measure on a held-out split, then refit on every example for the stored model."""
    train, test = split(examples, test_size=test_size, seed=seed)
    progress(f"Training on {len(train)} examples, holding out {len(test)}...")
    started = time.monotonic()
    trial = fit(build(seed=seed), train)
    progress(f"  trained in {time.monotonic() - started:.1f} s; measuring on the held-out examples...")
    held_out = measure(trial, test)
    progress(f"Training the stored model on all {len(examples)} examples...")
    started = time.monotonic()
    final = fit(build(seed=seed), examples)
    seconds = time.monotonic() - started
    progress("Measuring on the functional suite...")
    functional = measure_functional(final)
    metrics = {
        "held_out": held_out,
        "functional": functional,
        "train_examples": len(train),
        "test_examples": len(test),
        "training_seconds": round(seconds, 2),
    }
    return final, metrics
