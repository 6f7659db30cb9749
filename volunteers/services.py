"""Writes for volunteers' standing."""

from __future__ import annotations

from django.db import transaction

from volunteers.models import VolunteerProfile


def volunteer_set_status(*, profile: VolunteerProfile, status: str) -> VolunteerProfile:
    """Change a volunteer's status. Suspended or left, they cannot sign in (so cannot report by form or API);
    active again, they can."""
    if status not in VolunteerProfile.Status.values:
        raise ValueError(f"Unknown volunteer status {status!r}")
    with transaction.atomic():
        VolunteerProfile.objects.filter(pk=profile.pk).update(status=status)
        able = status in (VolunteerProfile.Status.APPLICANT, VolunteerProfile.Status.ACTIVE)
        type(profile.user).objects.filter(pk=profile.user_id).update(is_active=able)
    profile.refresh_from_db()
    return profile
