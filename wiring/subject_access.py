"""Everything the Hub holds about one volunteer, for a subject access request.

The volunteer's account and profile, where they are signed in, their training, every report they sent
(with what became of it and what officers told them), the counter-speech they
logged, their answers to officers' questions, what the Hub told them (notifications, and how they chose to
receive them), and the audit entries about them
or by them. Other people's personal data is left out: officers appear by
role, not by name, and other reporters not at all.
"""

from __future__ import annotations

from django.utils import timezone

from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from hubsite.signed_in import describe_device, signed_in_sessions
from notifications.models import Notification, NotificationPreference
from reports.models import CounterSpeech, Report
from triage.models import InfoAnswer
from volunteers.models import TrainingRecord, VolunteerProfile


def volunteer_subject_access(volunteer, *, requested_by=None) -> dict:
    """The whole of it as one JSON-ready dict; the export itself is recorded in the audit log."""
    profile = VolunteerProfile.objects.filter(user=volunteer).first()
    held = {
        "produced_at": timezone.now(),
        "account": {
            "username": volunteer.get_username(),
            "first_name": volunteer.first_name,
            "last_name": volunteer.last_name,
            "email": volunteer.email,
            "joined": volunteer.date_joined,
            "last_sign_in": volunteer.last_login,
            "active": volunteer.is_active,
            "roles": volunteer.role_names(),
        },
        "profile": None
        if profile is None
        else {
            "pseudonym": profile.pseudonym,
            "status": profile.get_status_display(),
            "joined_on": profile.joined_on,
            "languages": profile.languages,
            "platforms": profile.platforms,
            "full_name": profile.full_name,
            "phone": profile.phone,
            "notes": profile.notes,
        },
        "signed_in_devices": [
            {
                "device": describe_device(row.user_agent),
                "browser_said": row.user_agent,
                "address": row.address,
                "signed_in_at": row.signed_in_at,
                "last_active": row.last_activity,
            }
            for row in signed_in_sessions(volunteer)
        ],
        "training": [
            {
                "module": record.module.title,
                "completed_on": record.completed_on,
                "score": record.score,
                "passed": record.passed,
                "expires_on": record.expires_on,
            }
            for record in TrainingRecord.objects.filter(volunteer=volunteer).select_related("module")
        ],
        "reports": [
            {
                "id": report.pk,
                "sent_at": report.created_at,
                "post_url": report.post_url,
                "platform": report.get_platform_display(),
                "text_as_captured": report.captured_text,
                "author_handle": report.author_handle,
                "screenshot_held": bool(report.screenshot),
                "categories": [category.name for category in report.categories.all()],
                "redacted_at": report.redacted_at,
                "outcome": outcome,
                "note_from_officers": note,
            }
            for report in Report.objects.filter(reporter=volunteer)
            .select_related("case")
            .prefetch_related("categories")
            .order_by("created_at")
            for outcome, note in [report.outcome_for_reporter()]
        ],
        "counter_speech": [
            {
                "post_url": reply.post_url,
                "reply_url": reply.reply_url,
                "replied_at": reply.replied_at,
                "what_you_wrote": reply.reply_text,
            }
            for reply in CounterSpeech.objects.filter(volunteer=volunteer).order_by("replied_at")
        ],  # fmt: skip
        "answers_to_officers": [
            {"question": answer.request.question, "answer": answer.answer, "answered_at": answer.created_at}
            for answer in InfoAnswer.objects.filter(volunteer=volunteer).select_related("request")
        ],
        "notifications": [
            {
                "at": note.created_at,
                "what": note.message,
                "read_at": note.read_at,
                "e-mail": note.get_email_display(),
                "emailed_at": note.emailed_at,
            }
            for note in Notification.objects.filter(recipient=volunteer).order_by("created_at", "pk")
        ],
        "notification_choices": {
            choice.get_kind_display(): choice.get_delivery_display()
            for choice in NotificationPreference.objects.filter(user=volunteer)
        },
        "audit_log": [
            {"at": entry.at, "what": entry.get_action_display(), "summary": entry.summary, "address": entry.address}
            for entry in AuditEvent.objects.filter(actor=volunteer)
            | AuditEvent.objects.filter(object_type=volunteer._meta.label_lower, object_id=str(volunteer.pk))
        ],
    }
    audit_record(
        AuditEvent.Action.EXPORTED,
        target=volunteer,
        actor=requested_by,
        summary=f"Subject access: everything held about {volunteer.get_username()}",
    )
    return held
