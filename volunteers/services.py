"""Writes for people: accounts with their role, and volunteers' standing and training."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from hubsite.audit import record_role_change, record_training_change
from hubsite.models import User
from hubsite.roles import Role
from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile


def user_create(*, username: str, password: str | None, role: Role, email: str = "") -> User:
    """Create a person with one role; a volunteer gets their profile with it. Admins also get into the admin site."""
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, email=email, is_staff=(role == Role.ADMIN)
        )
        user.groups.add(Group.objects.get(name=role.value))
        if role == Role.VOLUNTEER:
            VolunteerProfile.objects.create(user=user)
        record_role_change(user=user, before=set(), after={role.value}, created=True)
    return user


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


# Where django-import-export keeps an uploaded file between its preview and the admin's confirmation.
IMPORT_UPLOADS = "django-import-export"


def import_uploads_purge(*, older_than: timedelta, now=None) -> int:
    """Delete uploaded training files whose import was previewed but never confirmed (a confirmed import
    deletes its own). They hold volunteers' names and results, so they must not outlive their use. Returns
    how many went."""
    cutoff = (now or timezone.now()) - older_than
    try:
        _, names = default_storage.listdir(IMPORT_UPLOADS)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{IMPORT_UPLOADS}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
