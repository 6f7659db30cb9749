"""Labelled text for training and evaluation, from the formats we read."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from triage.classifier.seed_corpus import Example, seed_examples

FORMATS = ("seed", "csv")


class DatasetError(Exception):
    """A data set that cannot be read; the message says what to fix."""


@dataclass
class Dataset:
    name: str
    examples: list[Example]
    sha256: str
    details: dict = field(default_factory=dict)

    def summary(self) -> dict:
        hateful = sum(example.label for example in self.examples)
        return {"name": self.name, "rows": len(self.examples), "hateful": hateful, "sha256": self.sha256}


def _digest(examples: Iterable[Example]) -> str:
    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.label}\t{','.join(example.categories)}\t{example.text}\n".encode())
    return digest.hexdigest()


def load_dataset(fmt: str, path: str | None) -> Dataset:
    """Read one data set. ``seed`` needs no path; ``csv`` reads ``text,label[,categories]``."""
    if fmt == "seed":
        examples = seed_examples()
        return Dataset("seed corpus", examples, _digest(examples))
    if fmt == "csv":
        if not path:
            raise DatasetError("--dataset csv needs a path: --dataset csv FILE.csv")
        return _load_plain_csv(Path(path))
    raise DatasetError(f"Unknown data set format {fmt!r}: use one of {', '.join(FORMATS)}.")


def _load_plain_csv(path: Path) -> Dataset:
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"Cannot open {path}: {exc.strerror}.") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = {"text", "label"} - set(reader.fieldnames or [])
        if missing:
            raise DatasetError(f"{path} needs the columns text and label (missing: {', '.join(sorted(missing))}).")
        examples = []
        for line, row in enumerate(reader, start=2):
            label = (row.get("label") or "").strip()
            if label not in {"0", "1"}:
                raise DatasetError(f"{path} line {line}: label must be 0 or 1, not {label!r}.")
            categories = tuple(slug.strip() for slug in (row.get("categories") or "").split(";") if slug.strip())
            examples.append(Example(text=row["text"], label=int(label), categories=categories))
    if not examples:
        raise DatasetError(f"{path} has no rows.")
    return Dataset(path.name, examples, _digest(examples))
