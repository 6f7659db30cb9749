from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from hubsite.roles import Role


class PartnerOrganisation(models.Model):
    """A community organisation whose staff send reports to the Hub over the API. Officers and forces see its
    reports under its name, and each of its people sees everything the organisation sent."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in to the Hub. What they may do comes from their groups (roles)."""

    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="partner organisation",
        help_text="For a partner's account: the organisation it sends reports for.",
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            # "Sam" and "sam" would be two people who sign in with what reads as one name: whichever way an
            # account is made (admin, add-a-volunteer screen, command), the database refuses the second.
            models.UniqueConstraint(
                Lower("username"),
                name="hubsite_user_username_unique_ignoring_case",
                violation_error_message="That username is taken (perhaps in other capitals): choose another.",
            ),
        ]

    def role_names(self) -> list[str]:
        """The roles this user holds, in Role order, for display."""
        held = {group.name for group in self.groups.all()}
        return [role.label for role in Role if role.value in held]


class AuditEventQuerySet(models.QuerySet):
    """Entries are never changed; they go only by the retention purge (hubsite.audit.audit_purge)."""

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only")

    def delete(self):
        raise PermissionError("The audit log is append-only: old entries go by the retention purge only")

    def purge(self):
        return super().delete()


class AuditEvent(models.Model):
    """One thing someone saw or did that the public may one day ask about. Written by hubsite.audit."""

    class Action(models.TextChoices):
        CASE_VIEWED = "case.viewed", "Case viewed"
        REFERRAL_VIEWED = "referral.viewed", "Referral viewed"
        CASE_DECISION = "case.decision", "Decision on a case"
        REFERRAL_STEP = "referral.step", "Referral made or answered"
        EXPORTED = "export", "Export"
        ROLE_CHANGED = "role.changed", "Role changed"
        TRAINING_CHANGED = "training.changed", "Training record changed"
        MODEL_ACTIVATED = "model.activated", "Scoring model activated"
        CLASSIFIER_TRAINING_STARTED = "model.training_started", "Scoring model training started"
        CLASSIFIER_TRAINING_FINISHED = "model.training_finished", "Scoring model training finished"
        SIGNED_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in.failed", "Sign-in failed"
        SECURITY_CHANGED = "security.changed", "Sign-in security reset"
        REDACTED = "retention.redacted", "Redacted under the retention schedule"
        AUDIT_PURGED = "audit.purged", "Old audit entries removed"
        ADMIN_EDITED = "admin.edited", "Added, changed or deleted in the admin"
        CASE_MERGED = "case.merged", "Cases merged"
        REFERRAL_LIST_VIEWED = "referral.list_viewed", "Referral list viewed"
        SCREENSHOT_VIEWED = "screenshot.viewed", "Screenshot viewed"
        ADMIN_VIEWED = "admin.viewed", "Opened in the admin"
        PARTNER_TOKEN_ISSUED = "token.issued", "Partner API token issued"
        PARTNER_TOKEN_REVOKED = "token.revoked", "Partner API token revoked"
        PASSWORD_RESET_REQUESTED = "password.reset_requested", "Password reset asked for"
        PASSWORD_SET = "password.set", "Password set or changed"
        INVITED = "account.invited", "Invitation e-mailed"
        SESSIONS_ENDED = "sessions.ended", "Signed out of other devices"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("who", max_length=150)
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    address = models.GenericIPAddressField("from address", null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are never deleted one by one")


class PartnerToken(models.Model):
    """A partner system's key to the API. The token itself is shown once, when it is issued; the Hub keeps only
    its first characters (to find it and to name it in lists) and the SHA-256 of the whole of it. Issued and
    revoked by ``hubsite.partner_tokens``, which records both in the audit log."""

    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the system that uses it.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="partner_tokens",
        verbose_name="partner account",
    )
    prefix = models.CharField(max_length=12, unique=True, help_text="The token's first characters.")
    secret_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField("last used", null=True, blank=True)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SignedInSessionQuerySet(models.QuerySet):
    def current(self, *, now=None):
        """Rows whose session has not expired (an expired one stays in the table until Django clears it)."""
        return self.filter(session__expire_date__gt=now or timezone.now())


class SignedInSession(models.Model):
    """A browser someone is signed in from: what a person sees on their "Signed-in devices" page.

    One row per signed-in Django session (the database session engine, Django's default), tied to the session's
    row so that a session ending in any way (signing out, expiry cleared, a key changed at sign-in, signing out
    elsewhere) takes its row with it. Written by hubsite.signed_in.
    """

    session = models.OneToOneField("sessions.Session", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    user_agent = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField("from address", null=True, blank=True)
    signed_in_at = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(default=timezone.now)

    objects = SignedInSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity", "-pk"]
        indexes = [models.Index(fields=["user", "-last_activity"])]

    def __str__(self) -> str:
        return f"{self.user_id} since {self.signed_in_at:%Y-%m-%d %H:%M}"
