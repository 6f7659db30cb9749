"""Writes for reports. Views and the API call these; nothing else saves a Report."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from hubsite.models import User
from reports.models import Category, Report
from reports.platforms import platform_for_url
from triage import services as triage_services


def report_submit(
    *,
    reporter: User,
    post_url: str,
    captured_text: str,
    categories: Iterable[Category],
    platform: str = "",
    author_handle: str = "",
    notes: str = "",
) -> Report:
    """Save a report and its case in one transaction; score it once the transaction commits.

    An empty ``platform`` is worked out from the URL.
    """
    categories = list(categories)
    with transaction.atomic():
        case = triage_services.case_open()
        report = Report.objects.create(
            reporter=reporter,
            case=case,
            post_url=post_url,
            platform=platform or platform_for_url(post_url),
            captured_text=captured_text,
            author_handle=author_handle,
            notes=notes,
        )
        report.categories.set(categories)
        transaction.on_commit(partial(triage_services.scoring_enqueue, report_id=report.pk))
    return report
