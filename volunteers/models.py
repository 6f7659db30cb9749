"""Volunteers: who they are (admins only), what they are trained for, and for how long."""

from __future__ import annotations

import calendar
import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# Short, unambiguous, and unrelated to the person or their account.
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PSEUDONYM_PATTERN = rf"^V-[{PSEUDONYM_ALPHABET}]{{6}}$"


def _new_pseudonym() -> str:
    return "V-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))


class VolunteerProfile(models.Model):
    """A volunteer's standing with the Hub. Name and contact details are for admins only."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", "Applicant"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        LEFT = "left", "Left"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer")
    pseudonym = models.CharField(
        max_length=20, unique=True, default=_new_pseudonym, help_text="How officers and forces see this volunteer."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLICANT)
    joined_on = models.DateField(default=date.today)
    languages = models.CharField(max_length=200, blank=True, help_text="Languages they read, separated by commas.")
    platforms = models.CharField(
        max_length=200,
        blank=True,
        help_text="Platforms they watch, by name (x, facebook, reddit...), separated by commas.",
    )
    # Personal details: admins only.
    full_name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, help_text="Admins' notes; never shown to officers or forces.")

    class Meta:
        ordering = ["pseudonym"]

    def __str__(self) -> str:
        return self.pseudonym


class TrainingModule(models.Model):
    """A course a volunteer completes, what it unlocks, and how long it stays current."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    content = models.TextField(blank=True, help_text="The course itself, or what to read.")
    link = models.URLField(blank=True, help_text="Where the course is, if elsewhere.")
    validity_months = models.PositiveSmallIntegerField(
        default=12, help_text="Months a pass stays current; 0 means it never expires."
    )
    pass_mark = models.PositiveSmallIntegerField(default=0, help_text="Lowest passing score, out of 100.")
    unlocks_reporting = models.BooleanField(default=False, help_text="Needed to report posts.")
    unlocks_counter_speech = models.BooleanField(default=False, help_text="Needed to log counter-speech.")
    unlocks_category = models.ForeignKey(
        "reports.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_modules",
        help_text="Needed to tag reports with this category, when the category asks for training.",
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def expiry_for(self, completed_on: date) -> date | None:
        return add_months(completed_on, self.validity_months) if self.validity_months else None


class TrainingRecordQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> TrainingRecordQuerySet:
        """Passed and not expired on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(passed=True).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))


class TrainingRecord(models.Model):
    """One volunteer's completion of one module. ``passed`` and ``expires_on`` follow from the module, the score
    and the day; ``volunteers.services.training_record_save``, which every way of recording training calls,
    works them out."""

    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Out of 100, if the module is scored.")
    passed = models.BooleanField(default=True)
    expires_on = models.DateField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "module", "completed_on"], name="one_record_per_volunteer_module_day"
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "module", "-expires_on"])]

    def __str__(self) -> str:
        return f"{self.module} on {self.completed_on}"
