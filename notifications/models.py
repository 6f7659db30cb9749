"""What the Hub tells people: one row per person and thing that changed, and how each person wants each kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hubsite import roles


class Kind(models.TextChoices):
    # To the volunteers who reported the post.
    QUESTION_ASKED = "question_asked", "An officer asks about a post you reported"
    CASE_DECIDED = "case_decided", "A decision on a post you reported"
    POLICE_OUTCOME = "police_outcome", "What the police did about a post you reported"
    # To the officer holding the case.
    VOLUNTEER_ANSWERED = "volunteer_answered", "A volunteer answered a question on your case"
    FORCE_ANSWERED = "force_answered", "A force answered a referral of your case"
    CASE_ASSIGNED = "case_assigned", "A case assigned to you"
    # To officers.
    REFERRAL_OVERDUE = "referral_overdue", "A referral the force has not acknowledged in time"
    PLATFORM_CLOCK = "platform_clock", "A platform's 24-hour clock about to run out"
    # To a force's liaisons.
    NEW_REFERRAL = "new_referral", "A new referral to your force"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "E-mail me straight away"
    DAILY = "daily", "One e-mail a day with all of them"
    OFF = "off", "No e-mail (on the Hub only)"


# Who may receive each kind, by the permission their role grants: the settings page offers a person only the
# kinds their role can receive.
AUDIENCE = {
    Kind.QUESTION_ASKED: roles.SUBMIT_REPORT,
    Kind.CASE_DECIDED: roles.SUBMIT_REPORT,
    Kind.POLICE_OUTCOME: roles.SUBMIT_REPORT,
    Kind.VOLUNTEER_ANSWERED: roles.WORK_QUEUE,
    Kind.FORCE_ANSWERED: roles.WORK_QUEUE,
    Kind.CASE_ASSIGNED: roles.WORK_QUEUE,
    Kind.REFERRAL_OVERDUE: roles.WORK_QUEUE,
    Kind.PLATFORM_CLOCK: roles.WORK_QUEUE,
    Kind.NEW_REFERRAL: roles.LIAISE_FOR_FORCE,
}

# Without a choice of their own, a person is e-mailed straight away, except about overdue referrals: a
# reminder that can wait for the morning's digest.
DEFAULT_DELIVERY = {kind: Delivery.IMMEDIATELY for kind in Kind} | {Kind.REFERRAL_OVERDUE: Delivery.DAILY}


def kinds_for(user) -> list[Kind]:
    """The kinds this person's role can receive, in the order the settings page lists them."""
    return [kind for kind in Kind if user.has_perm(AUDIENCE[kind])]


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        """A person's own notifications: nobody reads another's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that changed, told to one person: a sentence and the page where they see it.

    The message never carries a post's text, a handle or a volunteer's identity: it is shown in the navigation
    bar's list and sent by e-mail, which leaves the Hub.
    """

    class Email(models.TextChoices):
        NONE = "none", "Not e-mailed"
        PENDING = "pending", "To be e-mailed straight away"
        DIGEST = "digest", "Waiting for the daily digest"
        SENT = "sent", "E-mailed"
        FAILED = "failed", "E-mail failed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    message = models.CharField(max_length=300)
    # A path on the Hub (``/triage/cases/12/``); e-mails put HUB_BASE_URL before it.
    link = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            # The navigation bar counts a person's unread rows on every page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["recipient"], condition=Q(email="digest"), name="notification_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"


class NotificationPreference(models.Model):
    """How a person wants one kind delivered. Without a row, DEFAULT_DELIVERY holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class NotifiedOnce(models.Model):
    """An event told about once only (a referral overdue, a clock about to run out): the periodic sweep that
    finds them again every run inserts this key first, and the database refuses the second insert."""

    key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
