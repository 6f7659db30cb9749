"""Officers' decisions on closed cases, as a data set the classifier can learn from (format "decisions")."""

from __future__ import annotations

from reports.models import Report
from triage.classifier.labelled import Dataset, dataset_of
from triage.classifier.seed_corpus import Example
from triage.models import DECISION_LABELS, Case


def load_decisions() -> Dataset:
    """Officers' decisions as labels: dismissed cases are not hateful; cases reported to the
    platform, removed or referred are hateful, aimed at the categories the officer chose."""
    chosen: dict[int, list[str]] = {}
    through = Case.categories.through.objects.filter(case__status__in=DECISION_LABELS)
    for case_id, slug in through.values_list("case_id", "category__slug"):
        chosen.setdefault(case_id, []).append(slug)
    rows = (
        Report.objects.filter(case__status__in=DECISION_LABELS)
        .exclude(captured_text="")
        .order_by("case_id", "created_at", "pk")
        .values_list("case_id", "case__status", "captured_text")
    )
    examples, seen = [], set()
    for case_id, status, text in rows.iterator(chunk_size=2000):
        if (case_id, text) in seen:
            continue
        seen.add((case_id, text))
        label = DECISION_LABELS[status]
        slugs = tuple(sorted(chosen.get(case_id, ())))
        # Without an officer's categories the target of a hateful case is unknown, not "none".
        categories = slugs if slugs or not label else None
        examples.append(Example(text=text, label=label, categories=categories))
    return dataset_of("officers' decisions", examples)
