"""The retention schedule: what the Hub stops holding, and when.

Once a case has been closed long enough, the personal data in its reports
goes: the post's captured text, the poster's handle and the screenshot. The
link, the categories, the decisions, the timeline and the evidence digest stay,
so the Hub can still show what it did and prove what it had. How long depends
on how the case ended:

- dismissed or no further action: ``RETENTION_DISMISSED_DAYS`` (90);
- reported to and removed by the platform: ``RETENTION_PLATFORM_DAYS`` (365);
- referred to a force, which holds its own copy: ``RETENTION_REFERRED_DAYS`` (7 years).

Each redaction is written on the case's timeline and in the audit log. Open
cases are never redacted.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from reports.models import Report
from triage.models import Case, CaseEvent
from triage.search import case_search_refresh

REDACTED_TEXT = "[Redacted under the retention schedule]"


def retention_days() -> dict[str, int]:
    """Days a closed case's reports are kept, by how the case ended."""
    return {
        Case.Status.DISMISSED: settings.RETENTION_DISMISSED_DAYS,
        Case.Status.NO_ACTION: settings.RETENTION_DISMISSED_DAYS,
        Case.Status.REMOVED_BY_PLATFORM: settings.RETENTION_PLATFORM_DAYS,
        Case.Status.REFERRED: settings.RETENTION_REFERRED_DAYS,
    }


def reports_due_for_redaction(*, now=None):
    """Reports, not yet redacted, whose case closed longer ago than its schedule allows."""
    now = now or timezone.now()
    due = Report.objects.none()
    for status, days in retention_days().items():
        cutoff = now - timedelta(days=days)
        due = due | Report.objects.filter(redacted_at__isnull=True).filter(
            Q(case__status=status, case__status_changed_at__lt=cutoff)
            # A report left on a merged case (its volunteer had reported the other case too) follows that case.
            | Q(
                case__status=Case.Status.MERGED,
                case__merged_into__status=status,
                case__merged_into__status_changed_at__lt=cutoff,
            )
        )
    return due.order_by("pk")


def report_redact(*, report: Report, now=None) -> None:
    """Remove the report's text, handle, screenshot and the volunteer's notes, and record that it was done and why.
    The notes go too: volunteers often quote the post or name who wrote it there, so keeping them would keep
    what the schedule removes."""
    now = now or timezone.now()
    with transaction.atomic():
        reports = Report.objects.select_for_update(of=("self",)).select_related("case__merged_into")
        locked = reports.get(pk=report.pk)
        if locked.redacted_at is not None:
            return
        screenshot = locked.screenshot.name if locked.screenshot else ""
        Report.objects.filter(pk=locked.pk).update(
            captured_text=REDACTED_TEXT, author_handle="", notes="", screenshot="", redacted_at=now
        )
        ended = locked.case.merged_into or locked.case
        days = retention_days()[ended.status]
        why = f"report {locked.pk}: closed as {ended.get_status_display().lower()} over {days} days ago"
        if ended != locked.case:
            why += f" (case {ended.pk}, which this case was merged into)"
        CaseEvent.objects.create(case_id=locked.case_id, kind=CaseEvent.Kind.REDACTED, note=why, created_at=now)
        # What was redacted must not be found by the desk's search either.
        case_search_refresh(case_ids=[locked.case_id])
        audit_record(
            AuditEvent.Action.REDACTED, target=locked, summary=why, case=locked.case_id, screenshot=bool(screenshot)
        )
        if screenshot:
            storage = locked.screenshot.storage
            transaction.on_commit(lambda: storage.delete(screenshot))


def retention_apply(*, now=None, progress=None) -> int:
    """Redact every report that is due. Returns how many were redacted."""
    due = list(reports_due_for_redaction(now=now).values_list("pk", flat=True))
    for done, pk in enumerate(due, start=1):
        report_redact(report=Report(pk=pk), now=now)
        if progress is not None:
            progress(done, len(due))
    return len(due)
