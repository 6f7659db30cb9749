"""Writes for volunteers' standing."""

from __future__ import annotations

from django.db import transaction

from hubsite.audit import record_role_change, record_training_change
from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile


def volunteer_set_status(*, profile: VolunteerProfile, status: str) -> VolunteerProfile:
    """Change a volunteer's status. Suspended or left, they cannot sign in (so cannot report by form or API);
    active again, they can."""
    if status not in VolunteerProfile.Status.values:
        raise ValueError(f"Unknown volunteer status {status!r}")
    with transaction.atomic():
        VolunteerProfile.objects.filter(pk=profile.pk).update(status=status)
        able = status in (VolunteerProfile.Status.APPLICANT, VolunteerProfile.Status.ACTIVE)
        type(profile.user).objects.filter(pk=profile.user_id).update(is_active=able)
        record_role_change(user=profile.user, before=set(), after=set(), volunteer_status=status, is_active=able)
    profile.refresh_from_db()
    return profile


def training_session_record(*, volunteers, module: TrainingModule, completed_on, recorded_by, score=None) -> int:
    """Record one session of ``module`` for several volunteers at once. A volunteer already recorded for
    that module on that day is left as they are. Returns how many records were made."""
    with transaction.atomic():
        made = 0
        for volunteer in volunteers:
            record, created = TrainingRecord.objects.get_or_create(
                volunteer=volunteer,
                module=module,
                completed_on=completed_on,
                defaults={"score": score, "recorded_by": recorded_by},
            )
            if created:
                record_training_change(record, how="recorded in a session", by=recorded_by)
            made += created
    return made
