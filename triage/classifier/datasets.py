"""Labelled text for training and evaluation, from the formats we read.

Every reader returns a ``Dataset``: examples (text, label 1 hateful / 0 not,
the categories it targets, or None where the source does not say), a SHA-256
of what was read, and, for sources with finer labels, each example's original
class (Davidson's "hate", "offensive", "neither"; HateXplain's "hatespeech",
"offensive", "normal"; Stormfront's "hate", "noHate"), and, where a split must keep examples together, each
one's group (a Stormfront writer, a ToxiGen target group). Errors name the file, the line and what to fix.
"""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from pathlib import Path

from triage.classifier.labelled import Dataset, DatasetError, dataset_of
from triage.classifier.seed_corpus import CATEGORY_SLUGS, Example, seed_examples

FORMATS = {
    "seed": "the project's own seed corpus (no path)",
    "csv": "a plain CSV with the columns text,label[,categories] (label 0 or 1; categories separated by ;)",
    "davidson": "the Davidson et al. 2017 CSV (class 0 hate speech, 1 offensive, 2 neither)",
    "hatexplain": "the HateXplain dataset.json (majority label; targets named by at least two annotators)",
    "stormfront": "de Gibert et al. 2018 forum sentences, train split (hate 1, noHate 0; relation, idk/skip left out)",
    "stormfront-test": "de Gibert et al. 2018 forum sentences, the authors' balanced test sample only",
    "toxigen": "the human-written ToxiGen sentences (hateful 1, neutral 0; target group mapped to our categories)",
    "functional": "the project's functional test suite (no path)",
    "decisions": "officers' decisions on closed cases in this Hub's database (no path)",
}
NO_PATH_FORMATS = ("seed", "functional", "decisions")

# HateXplain's target names, mapped onto our categories; targets we do not cover are dropped.
HATEXPLAIN_TARGETS = {
    "african": "race",
    "arab": "race",
    "asian": "race",
    "caucasian": "race",
    "hispanic": "race",
    "indian": "race",
    "indigenous": "race",
    "refugee": "race",
    "minority": "race",
    "jewish": "antisemitic",
    "islam": "anti-muslim",
    "christian": "religion-other",
    "hindu": "religion-other",
    "buddhism": "religion-other",
    "nonreligious": "religion-other",
    "homosexual": "sexual-orientation",
    "gay": "sexual-orientation",
    "bisexual": "sexual-orientation",
    "disability": "disability",
    "transgender": "transgender",
    "women": "misogyny",
}


def load_dataset(fmt: str, path: str | None) -> Dataset:
    """Read one data set in format ``fmt`` (one of ``FORMATS``) from ``path``."""
    if fmt not in FORMATS:
        raise DatasetError(f"Unknown data set format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if fmt in NO_PATH_FORMATS:
        if path:
            raise DatasetError(f"--dataset {fmt} takes no path.")
        return {"seed": _load_seed, "functional": _load_functional, "decisions": _load_decisions}[fmt]()
    if not path:
        raise DatasetError(f"--dataset {fmt} needs a path: --dataset {fmt} FILE")
    if fmt.startswith("stormfront"):
        return _load_stormfront(Path(path), split="test" if fmt == "stormfront-test" else "train")
    reader = {
        "csv": _load_plain_csv,
        "davidson": _load_davidson,
        "hatexplain": _load_hatexplain,
        "toxigen": _load_toxigen,
    }
    return reader[fmt](Path(path))


def _load_seed() -> Dataset:
    return dataset_of("seed corpus", seed_examples())


def _load_functional() -> Dataset:
    from triage.classifier.functional import load_suite

    cases = load_suite()
    # The suite says which group a case is about, not which group hate targets: categories only where hateful.
    examples = [
        Example(text=case.text, label=case.label, categories=_suite_target(case.label, case.group)) for case in cases
    ]
    return dataset_of("functional suite", examples, classes=[case.phenomenon for case in cases])


def _suite_target(label: int, group: str) -> tuple[str, ...]:
    return (group,) if label and group != "none" else ()


def _open_csv(path: Path):
    try:
        return path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"Cannot open {path}: {exc.strerror}.") from exc


def _require_columns(path: Path, reader: csv.DictReader, needed: set[str]) -> None:
    missing = needed - set(reader.fieldnames or [])
    if missing:
        raise DatasetError(
            f"{path} needs the columns {', '.join(sorted(needed))} (missing: {', '.join(sorted(missing))})."
        )


def _load_plain_csv(path: Path) -> Dataset:
    with _open_csv(path) as handle:
        reader = csv.DictReader(handle)
        _require_columns(path, reader, {"text", "label"})
        has_categories = "categories" in (reader.fieldnames or [])
        examples = []
        for line, row in enumerate(reader, start=2):
            label = (row.get("label") or "").strip()
            if label not in {"0", "1"}:
                raise DatasetError(f"{path} line {line}: label must be 0 or 1, not {label!r}.")
            categories = None
            if has_categories:
                categories = tuple(slug.strip() for slug in (row.get("categories") or "").split(";") if slug.strip())
                unknown = [slug for slug in categories if slug not in CATEGORY_SLUGS]
                if unknown:
                    raise DatasetError(
                        f"{path} line {line}: unknown category {unknown[0]!r}; use one of {', '.join(CATEGORY_SLUGS)}."
                    )
            examples.append(Example(text=row["text"] or "", label=int(label), categories=categories))
    return dataset_of(path.name, examples)


DAVIDSON_CLASSES = {"0": "hate", "1": "offensive", "2": "neither"}


def _load_davidson(path: Path) -> Dataset:
    """Hate speech (class 0) is hateful; offensive language and neither are not. Targets are not given."""
    with _open_csv(path) as handle:
        reader = csv.DictReader(handle)
        _require_columns(path, reader, {"class", "tweet"})
        examples, classes = [], []
        for line, row in enumerate(reader, start=2):
            kind = DAVIDSON_CLASSES.get((row.get("class") or "").strip())
            if kind is None:
                raise DatasetError(f"{path} line {line}: class must be 0, 1 or 2, not {row.get('class')!r}.")
            # Tweets carry HTML entities (&amp;); the classifier reads what a person would see.
            examples.append(Example(text=html.unescape(row["tweet"] or ""), label=int(kind == "hate"), categories=None))
            classes.append(kind)
    return dataset_of(path.name, examples, classes)


def _majority(values: list[str]) -> str | None:
    (value, count), *_ = Counter(values).most_common(1) or [(None, 0)]
    return value if count * 2 > len(values) else None


def _load_hatexplain(path: Path) -> Dataset:
    """The majority of annotators decides the label; posts with no majority are left out, as HateXplain's authors do."""
    try:
        with path.open(encoding="utf-8") as handle:
            posts = json.load(handle)
    except OSError as exc:
        raise DatasetError(f"Cannot open {path}: {exc.strerror}.") from exc
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path} is not valid JSON (line {exc.lineno}): is it HateXplain's dataset.json?") from exc
    if not isinstance(posts, dict):
        raise DatasetError(f"{path}: expected an object keyed by post id, as in HateXplain's dataset.json.")
    examples, classes, undecided = [], [], 0
    for post_id, post in posts.items():
        try:
            annotators = post["annotators"]
            text = " ".join(post["post_tokens"])
            labels = [annotator["label"] for annotator in annotators]
        except (KeyError, TypeError) as exc:
            raise DatasetError(f"{path} post {post_id}: missing {exc} (needs annotators and post_tokens).") from exc
        label = _majority(labels)
        if label is None:
            undecided += 1
            continue
        categories: tuple[str, ...] = ()
        if label == "hatespeech":
            named = Counter(
                HATEXPLAIN_TARGETS[target.lower()]
                for annotator in annotators
                for target in {t.lower() for t in annotator.get("target") or []}
                if target.lower() in HATEXPLAIN_TARGETS
            )
            categories = tuple(sorted(slug for slug, votes in named.items() if votes >= 2))
        examples.append(Example(text=text, label=int(label == "hatespeech"), categories=categories))
        classes.append(label)
    return dataset_of(path.name, examples, classes, undecided=undecided)


STORMFRONT_LABELS = {"hate": 1, "noHate": 0}
# Sentences hateful only together with their neighbours, or that annotators could not judge: neither label fits
# a sentence read alone, so they are left out and counted.
STORMFRONT_LEFT_OUT = ("relation", "idk/skip")
STORMFRONT_SPLITS = ("train", "test")


def _load_stormfront(path: Path, *, split: str) -> Dataset:
    """One split of the Stormfront sentences. Sentences by one writer (``user_id``) are alike, so each keeps its
    writer, and a held-out split keeps a writer's sentences on one side."""
    with _open_csv(path) as handle:
        reader = csv.DictReader(handle)
        _require_columns(path, reader, {"text", "label", "split", "user_id"})
        examples, classes = [], []
        left_out = Counter({label: 0 for label in STORMFRONT_LEFT_OUT})
        other_split = 0
        for line, row in enumerate(reader, start=2):
            label, row_split = (row.get("label") or "").strip(), (row.get("split") or "").strip()
            if row_split not in STORMFRONT_SPLITS:
                raise DatasetError(f"{path} line {line}: split must be train or test, not {row_split!r}.")
            if label not in STORMFRONT_LABELS and label not in STORMFRONT_LEFT_OUT:
                raise DatasetError(
                    f"{path} line {line}: label must be hate, noHate, relation or idk/skip, not {label!r}."
                )
            if row_split != split:
                other_split += 1
                continue
            if label in STORMFRONT_LEFT_OUT:
                left_out[label] += 1
                continue
            writer = f"stormfront writer {(row.get('user_id') or '').strip()}"
            examples.append(
                Example(text=row["text"] or "", label=STORMFRONT_LABELS[label], categories=None, together=writer)
            )
            classes.append(label)
    return dataset_of(
        f"{path.name} ({split})", examples, classes, split=split, left_out=dict(left_out),
        other_split=other_split,
    )  # fmt: skip


# ToxiGen's target groups, mapped onto our categories where one fits.
TOXIGEN_TARGETS = {
    "asian": "race",
    "black": "race",
    "chinese": "race",
    "latino": "race",
    "mexican": "race",
    "middle_east": "race",
    "native_american": "race",
    "immigrant": "race",
    "jewish": "antisemitic",
    "muslim": "anti-muslim",
    "lgbtq": "sexual-orientation",
    "bisexual": "sexual-orientation",
    "trans": "transgender",
    "women": "misogyny",
    "mental_disability": "disability",
    "physical_disability": "disability",
}
TOXIGEN_LABELS = {"hateful": 1, "neutral": 0}


def _load_toxigen(path: Path) -> Dataset:
    """Hateful statements are aimed at their target group's category; neutral ones at none. Each example keeps
    its target group, so a held-out split (and leave-one-group-out) takes a group whole."""
    with _open_csv(path) as handle:
        reader = csv.DictReader(handle)
        _require_columns(path, reader, {"text", "label", "target_group"})
        examples, unmapped = [], Counter()
        for line, row in enumerate(reader, start=2):
            label = TOXIGEN_LABELS.get((row.get("label") or "").strip())
            if label is None:
                raise DatasetError(f"{path} line {line}: label must be hateful or neutral, not {row.get('label')!r}.")
            target = (row.get("target_group") or "").strip().lower()
            category = TOXIGEN_TARGETS.get(target)
            if category is None:
                unmapped[target] += 1
            # A neutral statement targets no one; a hateful one about a group we do not cover, an unknown target.
            categories = () if not label else (category,) if category else None
            examples.append(
                Example(text=row["text"] or "", label=label, categories=categories, together=f"toxigen {target}")
            )
    return dataset_of(path.name, examples, unmapped_groups=dict(sorted(unmapped.items())))


def _load_decisions() -> Dataset:
    # Read from the database; imported when asked for, so the data sets load without Django set up.
    from triage.decisions_dataset import load_decisions

    return load_decisions()
