"""A referral package: what a force receives about a case, as data (JSON) and as a printable page (and both,
with the screenshots, in the evidence bundle: triage/bundles.py).

Evidence exactly as captured with its SHA-256 and whether the stored copy still
matches it, with a link to each screenshot; the officer's summary and suspected
offences; and the case's history. Volunteers appear only by pseudonym. Times are
datetimes: JSON responses write them in ISO 8601, pages format them for people.

Officers read the whole timeline. A force reads the history of the case (what
happened, and when) without the Hub's internal notes or its staff's usernames:
an officer's note reaches the force, with its author, only when it was marked
"share with the force" as it was written; the force's own answers read as
written.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from hubsite import roles
from reports.models import Report
from triage.models import CaseEvent, ForceLiaison, Referral

# How the Hub's staff appear to a force, in place of their usernames.
HUB_STAFF = "an officer of the Hub"
ANOTHER_FORCE = "another police force"


def referral_package(referral: Referral, *, viewer) -> dict:
    """The package as ``viewer`` may read it: officers everything, a force's liaison what the force needs."""
    case = referral.case
    whole = viewer.has_perm(roles.WORK_QUEUE)
    screenshot_url = "triage:referral-screenshot" if whole else "liaison:screenshot"
    reports = (
        Report.objects.filter(case=case)
        .select_related("partner_organisation", "reporter__volunteer", "reporter__partner_organisation")
        .prefetch_related("categories")
    )
    return {
        "referral": {
            "id": referral.pk,
            "force": referral.force.name,
            "status": referral.get_status_display(),
            "sent_at": referral.sent_at,
            "sent_by": referral.sent_by.get_username() if whole else HUB_STAFF,
            "suspected_offences": [offence.name for offence in referral.offences.all()],
            "summary": referral.summary,
            "crime_reference": referral.crime_reference,
            "outcome_group": referral.get_outcome_group_display(),
            "outcome_details": referral.outcome,
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
                "reported_by": report.reported_by,
                "post_url": report.post_url,
                "platform": report.get_platform_display(),
                "posted_by": report.author_handle,
                "text_as_captured": report.captured_text,
                "captured_at": report.captured_at,
                "has_screenshot": bool(report.screenshot),
                "screenshot_url": reverse(screenshot_url, args=[referral.pk, report.pk]) if report.screenshot else "",
                "severity": report.severity_flags(),
                "evidence_sha256": report.evidence_sha256,
                "stored_evidence_matches": None if report.redacted_at else report.evidence_intact(),
                "redacted_at": report.redacted_at,
            }
            for report in reports.order_by("created_at", "pk")
        ],
        "timeline": _timeline(referral, whole=whole),
    }


def package_json(package: dict) -> bytes:
    """The package as the JSON download serves it, and as the evidence bundle files it: the same bytes."""
    return json.dumps(package, cls=DjangoJSONEncoder, indent=2).encode()


def _timeline(referral: Referral, *, whole: bool) -> list[dict]:
    events = referral.case.events.select_related("actor__volunteer", "actor__partner_organisation")
    if whole:
        return [_entry(event, who=event.actor_label(), note=event.note) for event in events]
    # The force's own liaison users wrote its answers: those read as written.
    liaisons = dict(ForceLiaison.objects.values_list("user_id", "force_id"))
    timeline = []
    for event in events:
        own_force = event.actor_id is not None and liaisons.get(event.actor_id) == referral.force_id
        open_to_force = event.for_force or own_force
        if event.actor is None or event.kind in CaseEvent.VOLUNTEER_KINDS or open_to_force:
            who = event.actor_label()
        elif event.actor_id in liaisons:
            # Another force's answer (an earlier referral it declined, say): neither its name nor its words.
            who = ANOTHER_FORCE
        else:
            who = HUB_STAFF
        timeline.append(_entry(event, who=who, note=event.note if open_to_force else ""))
    return timeline


def _entry(event: CaseEvent, *, who: str, note: str) -> dict:
    return {
        "at": event.created_at,
        "what": event.get_kind_display(),
        "who": who,
        "note": note,
        "shared_with_force": event.for_force,
    }
