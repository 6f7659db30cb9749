"""Labelled examples as a data set: what every importer (datasets.py, decisions_dataset.py) returns."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from triage.classifier.seed_corpus import Example


class DatasetError(Exception):
    """A data set that cannot be read; the message says what to fix."""


@dataclass
class Dataset:
    name: str
    examples: list[Example]
    sha256: str
    # The source's own class for each example, where it has more than two (for "abusive vs neither").
    classes: list[str] | None = None
    details: dict = field(default_factory=dict)

    def summary(self) -> dict:
        hateful = sum(example.label for example in self.examples)
        summary = {"name": self.name, "rows": len(self.examples), "hateful": hateful, "sha256": self.sha256}
        if self.classes is not None:
            summary["classes"] = dict(sorted(Counter(self.classes).items()))
        return summary | self.details


def digest_of(examples: Iterable[Example]) -> str:
    digest = hashlib.sha256()
    for example in examples:
        categories = "?" if example.categories is None else ",".join(example.categories)
        digest.update(f"{example.label}\t{categories}\t{example.text}\n".encode())
    return digest.hexdigest()


def dataset_of(name: str, examples: list[Example], classes: list[str] | None = None, **details) -> Dataset:
    if not examples:
        raise DatasetError(f"{name} has no usable rows.")
    return Dataset(name, examples, digest_of(examples), classes, details)
