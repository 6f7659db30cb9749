from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hubsite import roles
from reports.platforms import Platform
from volunteers.pseudonyms import pseudonym


class Category(models.Model):
    """A targeted group or kind of hate. Data an admin can extend, not code."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Only active categories are offered on the report form.")
    position = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers are listed first.")
    requires_training = models.BooleanField(
        default=False, help_text="Only volunteers with a current pass of this category's training module may tag it."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


def _screenshot_path(report: Report, filename: str) -> str:
    # Never a name the uploader chose: a random one, in a folder per month.
    return f"screenshots/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.png"


SEVERITY_FLAGS = ("threat_of_violence", "incitement", "doxxing", "targets_individual", "target_is_child")


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """Reports this user may read: officers all of them, anyone else only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm(roles.WORK_QUEUE):
            return self
        return self.filter(reporter=user)

    def sent_for_partner(self, user) -> ReportQuerySet:
        """Reports a partner may read: everything sent for their organisation, and their own sent while their
        account had none; none for anyone who is not a partner.

        It follows the organisation stored on each report when it arrived, never the sender's account as it is
        now: an account moved to another organisation leaves its reports behind, and a volunteer given an
        organisation by mistake shows their reports to nobody."""
        if not user.is_authenticated or not user.has_perm(roles.SUBMIT_REPORT_VIA_API):
            return self.none()
        own_without = Q(reporter=user, partner_organisation__isnull=True)
        if user.partner_organisation_id is None:
            return self.filter(own_without)
        return self.filter(own_without | Q(partner_organisation_id=user.partner_organisation_id))


class Report(models.Model):
    """What one volunteer (or partner) saw and sent: a piece of evidence."""

    class ScoreStatus(models.TextChoices):
        PENDING = "pending", "Waiting for scoring"
        SCORED = "scored", "Scored"
        FAILED = "failed", "Scoring failed"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports")
    # The organisation a partner sent the report for, fixed when it arrived: who may read it and the name
    # officers see follow this, not the account's organisation today. Empty for a volunteer's report.
    partner_organisation = models.ForeignKey(
        "hubsite.PartnerOrganisation", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    case = models.ForeignKey("triage.Case", on_delete=models.PROTECT, related_name="reports")
    # A random key the form (or a partner's Idempotency-Key) carries, so a repeated
    # submission of the same form returns the first report instead of a second.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    # --- The evidence, exactly as captured ---
    post_url = models.URLField("link to the post", max_length=2048, blank=True)
    normalised_url = models.URLField(max_length=2048, blank=True)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    captured_text = models.TextField("the post's text")
    author_handle = models.CharField("who posted it", max_length=200, blank=True)
    screenshot = models.FileField(upload_to=_screenshot_path, blank=True)
    # Set when the retention schedule removed the text, handle and screenshot; the evidence digest stays.
    redacted_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(default=timezone.now)
    evidence_sha256 = models.CharField(max_length=64, help_text="See reports/evidence.py for what it covers.")

    # --- What the volunteer judged ---
    categories = models.ManyToManyField(Category, related_name="reports")
    threat_of_violence = models.BooleanField(default=False)
    incitement = models.BooleanField("incites others", default=False)
    doxxing = models.BooleanField("publishes personal information", default=False)
    targets_individual = models.BooleanField("aimed at an individual", default=False)
    target_is_child = models.BooleanField("the target appears to be a child", default=False)
    target_location = models.CharField(max_length=200, blank=True)
    target_force = models.ForeignKey("triage.Force", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    poster_location = models.CharField(max_length=200, blank=True)
    poster_force = models.ForeignKey("triage.Force", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    score_status = models.CharField(max_length=10, choices=ScoreStatus.choices, default=ScoreStatus.PENDING)
    score = models.FloatField(null=True, blank=True, help_text="Probability in [0, 1] that the post is hateful.")
    model_version = models.CharField(max_length=64, blank=True)
    category_scores = models.JSONField(
        default=dict, blank=True, help_text="Probability per category slug that the post is hate aimed at that group."
    )
    explanation = models.JSONField(
        default=list,
        blank=True,
        help_text="Spans of the captured text that pushed the score up (positive weight) or down: start, end, weight.",
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    scoring_error = models.TextField(blank=True)
    # When scoring was last asked for; the sweep asks again only after a while.
    queued_at = models.DateTimeField(default=timezone.now)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("submit_report", "Can report a post"),
            ("submit_report_via_api", "Can send reports through the partner API"),
        ]
        indexes = [
            models.Index(fields=["reporter", "-created_at"]),
            models.Index(fields=["queued_at"], condition=Q(score_status="pending"), name="report_pending_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1), name="report_score_in_unit_range"
            ),
            # One report per person per post: a second one is a duplicate.
            models.UniqueConstraint(fields=["reporter", "case"], name="one_report_per_reporter_per_case"),
            models.UniqueConstraint(fields=["reporter", "submission_key"], name="one_report_per_submission"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_platform_display()})"

    @property
    def reported_by(self) -> str:
        """Who sent it, as officers and forces see it: the organisation a partner sent it for, as stored when it
        arrived; anyone else by pseudonym (``volunteers.pseudonyms``). Read with ``partner_organisation``,
        ``reporter__volunteer`` and ``reporter__partner_organisation`` selected."""
        if self.partner_organisation_id is not None:
            return f"Partner: {self.partner_organisation.name}"
        return pseudonym(self.reporter)

    def outcome_for_reporter(self) -> tuple[str, str]:
        """What became of the report, in plain words, and the reason officers gave for volunteers."""
        case = self.case
        if case.status == case.Status.NEW:
            waiting = self.score_status == self.ScoreStatus.PENDING
            return ("Waiting for scoring" if waiting else "Under review"), ""
        return case.get_status_display(), case.note_for_volunteers

    @property
    def outcome_changed_at(self):
        return max(filter(None, [self.created_at, self.scored_at, self.case.status_changed_at]))

    def evidence_intact(self) -> bool:
        """Whether the stored text, URL and screenshot still give the digest recorded at capture."""
        from reports.evidence import evidence_digest

        screenshot = b""
        if self.screenshot:
            try:
                with self.screenshot.open("rb") as handle:
                    screenshot = handle.read()
            except OSError:  # the file is gone: the evidence is not what was captured
                return False
        digest = evidence_digest(
            captured_text=self.captured_text,
            normalised_url=self.normalised_url,
            author_handle=self.author_handle,
            captured_at=self.captured_at,
            screenshot=screenshot,
        )
        return digest == self.evidence_sha256

    def severity_flags(self) -> list[str]:
        """The labels of the flags the volunteer ticked."""
        return [str(self._meta.get_field(flag).verbose_name) for flag in SEVERITY_FLAGS if getattr(self, flag)]


class CounterSpeech(models.Model):
    """A volunteer's reply challenging a hateful post ("counter-speech")."""

    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counter_speech")
    # The case about the post replied to, when the Hub has one.
    case = models.ForeignKey(
        "triage.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="counter_speech"
    )
    post_url = models.URLField("link to the hateful post", max_length=2048)
    normalised_url = models.URLField(max_length=2048)
    reply_url = models.URLField("link to your reply", max_length=2048)
    reply_text = models.TextField("what you wrote", blank=True)
    replied_at = models.DateTimeField("when you replied")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replied_at", "-pk"]
        permissions = [("log_counter_speech", "Can log counter-speech")]

    def __str__(self) -> str:
        return f"Counter-speech {self.pk}"
