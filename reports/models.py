from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hubsite import roles
from reports.platforms import Platform


class Category(models.Model):
    """A targeted group or kind of hate. Data an admin can extend, not code."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Only active categories are offered on the report form.")
    position = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """Reports this user may read: officers all of them, anyone else only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm(roles.WORK_QUEUE):
            return self
        return self.filter(reporter=user)


class Report(models.Model):
    """What one volunteer (or partner) saw and sent: a piece of evidence."""

    class ScoreStatus(models.TextChoices):
        PENDING = "pending", "Waiting for scoring"
        SCORED = "scored", "Scored"
        FAILED = "failed", "Scoring failed"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports")
    case = models.ForeignKey("triage.Case", on_delete=models.PROTECT, related_name="reports")
    post_url = models.URLField("link to the post", max_length=2048)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    captured_text = models.TextField("the post's text")
    author_handle = models.CharField("who posted it", max_length=200, blank=True)
    categories = models.ManyToManyField(Category, related_name="reports")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    score_status = models.CharField(max_length=10, choices=ScoreStatus.choices, default=ScoreStatus.PENDING)
    score = models.FloatField(null=True, blank=True, help_text="Probability in [0, 1] that the post is hateful.")
    model_version = models.CharField(max_length=64, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    scoring_error = models.TextField(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("submit_report", "Can report a post")]
        indexes = [
            models.Index(fields=["reporter", "-created_at"]),
            models.Index(fields=["created_at"], condition=Q(score_status="pending"), name="report_pending_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1), name="report_score_in_unit_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_platform_display()})"

    def status_for_reporter(self) -> str:
        """What became of the report, in words for the volunteer who sent it."""
        if self.case.status != self.case.Status.NEW:
            return "Closed by an officer"
        if self.score_status == self.ScoreStatus.PENDING:
            return "Waiting for scoring"
        return "Waiting for an officer's review"
