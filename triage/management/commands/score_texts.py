"""Score every row of a CSV file with a classifier version, streaming: memory stays flat however long the file."""

from __future__ import annotations

import csv
import sys
from itertools import islice
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.management.classifier_cli import load_version


class Command(BaseCommand):
    help = (
        "Add a `score` column (probability in [0, 1] that the text is hateful) and a `categories` column "
        "(targeted groups at or above 0.5, most likely first, separated by ;) to a CSV file. "
        "Example: manage.py score_texts --input posts.csv --text-column text --output scored.csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="CSV file to read, with a header row; - for stdin.")
        parser.add_argument("--text-column", default="text", help="The column holding the text (default: text).")
        parser.add_argument("--output", required=True, help="CSV file to write; - for stdout.")
        parser.add_argument("--model", default="active", help="Model version (default: the active one).")
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows scored per pass (default 1000).")

    def handle(self, *args, input: str, text_column: str, output: str, model: str, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        record, classifier = load_version(model)

        source = sys.stdin if input == "-" else self._open(input, "r")
        target = sys.stdout if output == "-" else self._open(output, "w")
        try:
            rows = self._score(classifier, csv.DictReader(source), target, text_column, batch_size)
        finally:
            for handle in (source, target):
                if handle not in (sys.stdin, sys.stdout):
                    handle.close()
        self.stderr.write(f"Scored {rows} rows with model {record.version}.")

    def _open(self, path: str, mode: str):
        try:
            return Path(path).open(mode, newline="", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot open {path}: {exc.strerror}.") from exc

    def _score(self, model, reader: csv.DictReader, target, text_column: str, batch_size: int) -> int:
        columns = reader.fieldnames or []
        if text_column not in columns:
            raise CommandError(
                f"The input has no column {text_column!r} (its columns: {', '.join(columns) or 'none'}); "
                "name the right one with --text-column."
            )
        extra = [name for name in ("score", "categories") if name not in columns]
        writer = csv.DictWriter(target, fieldnames=[*columns, *extra])
        writer.writeheader()
        done = 0
        while batch := list(islice(reader, batch_size)):
            for row, scoring in zip(batch, model.score([row[text_column] or "" for row in batch]), strict=True):
                row["score"] = f"{scoring.score:.6f}"
                row["categories"] = ";".join(scoring.likely_categories())
                writer.writerow(row)
            done += len(batch)
            if done % (batch_size * 10) < len(batch):
                self.stderr.write(f"  {done} rows scored...")
        return done
