"""Writes for people: accounts with their role, and volunteers' standing and training."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from hubsite.accounts import user_invite
from hubsite.audit import record_role_change, record_training_change
from hubsite.models import User
from hubsite.roles import Role
from volunteers.models import PSEUDONYM_PATTERN, TrainingModule, TrainingRecord, VolunteerProfile


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


class VolunteerAddError(ValueError):
    """The volunteer cannot be added as asked: ``field`` is the input at fault, ``message`` says what to do."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class PseudonymTaken(VolunteerAddError):
    """Another volunteer was given this pseudonym while the form was open."""

    def __init__(self, pseudonym: str):
        super().__init__(
            "pseudonym",
            f"The pseudonym {pseudonym} was given to another volunteer while this form was open, so nothing was "
            "saved. This volunteer has a new one, shown above: check it and save again.",
        )


USERNAME_TAKEN = "That username is taken: choose another."


@dataclass(frozen=True)
class TrainingDone:
    """A training record to keep with a new volunteer: the module, the day it was completed, the score if any."""

    module: TrainingModule
    completed_on: date
    score: int | None = None


def volunteer_add(
    *,
    username: str,
    email: str,
    pseudonym: str,
    languages: str = "",
    platforms: str = "",
    first_training: TrainingDone | None = None,
    send_invitation: bool = False,
    added_by: User,
) -> VolunteerProfile:
    """Add a volunteer in one go: their account (no password until they set one), the volunteer role, their
    profile under ``pseudonym`` (the one the admin was shown) and, if given, their first training record; and,
    once all of it is committed, queue an invitation to set their password. All or nothing, and audited.

    A username taken, in any capitals, or a pseudonym taken meanwhile (the database's unique constraints decide:
    hubsite's User refuses usernames differing only in case) raises
    ``VolunteerAddError`` (``PseudonymTaken`` for the pseudonym) with nothing written. The volunteer starts as
    an applicant: an admin makes them active.
    """
    if not re.fullmatch(PSEUDONYM_PATTERN, pseudonym):
        raise VolunteerAddError("pseudonym", "The pseudonym must be one the Hub made up: open the form again.")
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=None)
            user.groups.add(Group.objects.get(name=Role.VOLUNTEER.value))
            profile = VolunteerProfile.objects.create(
                user=user, pseudonym=pseudonym, languages=languages, platforms=platforms
            )
            record_role_change(
                user=user, before=set(), after={Role.VOLUNTEER.value}, by=added_by, created=True, pseudonym=pseudonym
            )
            if first_training is not None:
                record = TrainingRecord(
                    volunteer=user,
                    module=first_training.module,
                    completed_on=first_training.completed_on,
                    score=first_training.score,
                )
                training_record_save(record=record, by=added_by, how="recorded as the volunteer was added")
            if send_invitation:
                user_invite(user=user, invited_by=added_by)
    except IntegrityError:
        # Which constraint: the rows that won are committed, so they can be seen now.
        if VolunteerProfile.objects.filter(pseudonym=pseudonym).exists():
            raise PseudonymTaken(pseudonym) from None
        if User.objects.filter(username__iexact=username).exists():
            raise VolunteerAddError("username", USERNAME_TAKEN) from None
        raise
    return profile


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


def training_record_save(*, record: TrainingRecord, by: User | None, how: str) -> TrainingRecord:
    """Save a new or changed training record with what follows from it, and note ``how`` in the audit log.

    Whether it passed (unscored, or scored at least the module's pass mark) and when it lapses (the module's
    validity from the day of completion) are worked out here and never typed. The admin's forms, the CSV import
    and the session action all save records through this, so each stores the same values for the same facts.
    A new record is recorded by ``by`` unless it names who recorded it.
    """
    record.passed = record.score is None or record.score >= record.module.pass_mark
    record.expires_on = record.module.expiry_for(record.completed_on)
    if record.pk is None and record.recorded_by_id is None and getattr(by, "pk", None) is not None:
        record.recorded_by = by
    with transaction.atomic():
        record.save()
        record_training_change(record, how=how, by=by)
    return record


def training_session_record(*, volunteers, module: TrainingModule, completed_on, recorded_by, score=None) -> int:
    """Record one session of ``module`` for several volunteers at once. A volunteer already recorded for
    that module on that day is left as they are. Returns how many records were made."""
    volunteers = list(volunteers)
    with transaction.atomic():
        held = set(
            TrainingRecord.objects.filter(
                module=module, completed_on=completed_on, volunteer__in=volunteers
            ).values_list("volunteer_id", flat=True)
        )
        made = 0
        for volunteer in volunteers:
            if volunteer.pk in held:
                continue
            record = TrainingRecord(
                volunteer=volunteer, module=module, completed_on=completed_on, score=score, recorded_by=recorded_by
            )
            try:
                with transaction.atomic():  # a savepoint: someone recording the same day meanwhile keeps theirs
                    training_record_save(record=record, by=recorded_by, how="recorded in a session")
            except IntegrityError:
                continue
            made += 1
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
