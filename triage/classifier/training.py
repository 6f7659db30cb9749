"""Training and measuring a pipeline on labelled examples."""

from __future__ import annotations

from collections.abc import Callable

from triage.classifier.datasets import Example

OPERATING_THRESHOLD = 0.5


def split(examples: list[Example], *, test_size: float, seed: int) -> tuple[list[Example], list[Example]]:
    """A stratified held-out split, the same for the same seed."""
    from sklearn.model_selection import train_test_split

    labels = [example.label for example in examples]
    train, test = train_test_split(examples, test_size=test_size, random_state=seed, stratify=labels)
    return train, test


def fit(pipeline, examples: list[Example]):
    pipeline.fit([example.text for example in examples], [example.label for example in examples])
    return pipeline


def measure(pipeline, examples: list[Example], *, threshold: float = OPERATING_THRESHOLD) -> dict:
    """ROC-AUC, and precision, recall and F1 at the operating threshold."""
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    labels = [example.label for example in examples]
    scores = pipeline.predict_proba([example.text for example in examples])[:, 1]
    predicted = [int(score >= threshold) for score in scores]
    metrics = {
        "examples": len(examples),
        "hateful": sum(labels),
        "threshold": threshold,
        "precision": precision_score(labels, predicted, zero_division=0),
        "recall": recall_score(labels, predicted, zero_division=0),
        "f1": f1_score(labels, predicted, zero_division=0),
    }
    if 0 < sum(labels) < len(labels):
        metrics["roc_auc"] = roc_auc_score(labels, scores)
    return {key: round(value, 4) if isinstance(value, float) else value for key, value in metrics.items()}


def train_and_measure(
    build: Callable, examples: list[Example], *, seed: int, test_size: float = 0.2
) -> tuple[object, dict]:
    """Measure on a held-out split, then refit on every example for the stored model."""
    train, test = split(examples, test_size=test_size, seed=seed)
    held_out = measure(fit(build(seed=seed), train), test)
    final = fit(build(seed=seed), examples)
    return final, {"held_out": held_out, "train_examples": len(train), "test_examples": len(test)}
