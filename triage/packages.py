"""A referral package: what a force receives about a case, as data (JSON) and as a printable page.

Evidence exactly as captured with its SHA-256 and whether the stored copy still
matches it, the officer's summary and suspected offences, and the case's
timeline. Volunteers appear only by pseudonym. Times are datetimes: JSON
responses write them in ISO 8601, pages format them for people.
"""

from __future__ import annotations

from reports.models import Report
from triage.models import Referral
from volunteers.pseudonyms import pseudonym


def referral_package(referral: Referral) -> dict:
    case = referral.case
    reports = Report.objects.filter(case=case).select_related("reporter__volunteer").prefetch_related("categories")
    return {
        "referral": {
            "id": referral.pk,
            "force": referral.force.name,
            "status": referral.get_status_display(),
            "sent_at": referral.sent_at,
            "sent_by": referral.sent_by.get_username(),
            "suspected_offences": [offence.name for offence in referral.offences.all()],
            "summary": referral.summary,
            "crime_reference": referral.crime_reference,
        },
        "case": {
            "id": case.pk,
            "platform": case.platform,
            "opened_at": case.created_at,
            "reporters": case.reporter_count,
            "categories": sorted({category.name for report in reports for category in report.categories.all()}),
        },
        "evidence": [
            {
                "report": report.pk,
                "reported_by": pseudonym(report.reporter),
                "post_url": report.post_url,
                "platform": report.get_platform_display(),
                "posted_by": report.author_handle,
                "text_as_captured": report.captured_text,
                "captured_at": report.captured_at,
                "has_screenshot": bool(report.screenshot),
                "severity": report.severity_flags(),
                "evidence_sha256": report.evidence_sha256,
                "stored_evidence_matches": None if report.redacted_at else report.evidence_intact(),
                "redacted_at": report.redacted_at,
            }
            for report in reports.order_by("created_at", "pk")
        ],
        "timeline": [
            {
                "at": event.created_at,
                "what": event.get_kind_display(),
                "who": event.actor_label(),
                "note": event.note,
            }
            for event in case.events.select_related("actor__volunteer")
        ],
    }
