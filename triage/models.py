from __future__ import annotations

from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from hubsite import roles


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """Cases this user may read: officers all of them, nobody else any."""
        if user.is_authenticated and user.has_perm(roles.WORK_QUEUE):
            return self
        return self.none()

    def with_reports(self) -> CaseQuerySet:
        """Prefetch each case's reports (oldest first) and their categories."""
        from reports.models import Report

        return self.prefetch_related(
            Prefetch("reports", queryset=Report.objects.prefetch_related("categories").order_by("created_at", "pk"))
        )

    def with_reporter_count(self) -> CaseQuerySet:
        return self.annotate(reporter_count=Count("reports__reporter", distinct=True))

    def in_queue(self) -> CaseQuerySet:
        """Cases waiting for an officer, highest score first, unscored last, oldest first on ties."""
        return self.filter(status=Case.Status.NEW).order_by(F("score").desc(nulls_last=True), "created_at", "pk")


class Case(models.Model):
    """One post under review. Every report about the same post joins its case."""

    class Status(models.TextChoices):
        NEW = "new", "Waiting for review"
        INFO_REQUESTED = "info_requested", "More information requested"
        REPORTED_TO_PLATFORM = "reported_to_platform", "Reported to the platform"
        REMOVED_BY_PLATFORM = "removed_by_platform", "Removed by the platform"
        REFERRED = "referred", "Referred to a police force"
        NO_ACTION = "no_action", "No action"

    # SHA-256 of what identifies the post: its normalised URL, or, without one,
    # its platform, author and text. Unique, so concurrent reports of one post meet here.
    post_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    note_for_volunteers = models.TextField(
        blank=True, help_text="Why the case ended as it did, in words shown to the volunteers who reported it."
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    # The highest score among the case's reports, kept here so the queue sorts in SQL.
    score = models.FloatField(null=True, blank=True)
    categories = models.ManyToManyField(
        "reports.Category",
        blank=True,
        related_name="cases",
        help_text="The groups an officer judged the post to target; these become training labels.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("work_queue", "Can work the officers' queue and read cases"),
            ("liaise_for_force", "Can act as a force's liaison for referrals"),
        ]
        indexes = [models.Index(fields=["-score", "created_at"], name="case_queue_idx", condition=Q(status="new"))]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class ClassifierVersionQuerySet(models.QuerySet):
    def active(self) -> ClassifierVersion | None:
        return self.filter(is_active=True).first()


# How officers' decisions become training labels: a case closed this way was judged hateful (1) or not (0).
DECISION_LABELS = {
    "no_action": 0,
    "reported_to_platform": 1,
    "removed_by_platform": 1,
    "referred": 1,
}


class ClassifierVersion(models.Model):
    """A trained scoring model: where its artifact lies, its checksum and its measurements."""

    version = models.CharField(max_length=64, unique=True)
    artifact_path = models.CharField(max_length=500, help_text="Relative to MODEL_DIR.")
    artifact_sha256 = models.CharField(max_length=64)
    is_active = models.BooleanField(default=False)
    metrics = models.JSONField(default=dict, blank=True)
    training_data = models.JSONField(default=dict, blank=True, help_text="Sources, counts and hashes of the data seen.")
    feature_set = models.CharField(max_length=40, default="tfidf")
    trained_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    objects = ClassifierVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_classifier"),
        ]

    def __str__(self) -> str:
        return self.version

    @property
    def held_out(self) -> dict:
        return self.metrics.get("held_out", {})

    @property
    def functional(self) -> dict:
        return self.metrics.get("functional", {})


class ClassifierActivation(models.Model):
    """One switch of the active model: who, when, from which version, and whether a worse one was forced in.

    Written once, never changed: the admin shows it read-only.
    """

    version = models.ForeignKey(ClassifierVersion, on_delete=models.PROTECT, related_name="activations")
    previous = models.ForeignKey(ClassifierVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    activated_by = models.CharField(max_length=150)
    activated_at = models.DateTimeField(default=timezone.now)
    forced = models.BooleanField(default=False)
    reason = models.TextField(blank=True, help_text="Why a version that measured worse was activated anyway.")

    class Meta:
        ordering = ["-activated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version} activated by {self.activated_by}"


class Force(models.Model):
    """A police force a case can be referred to. Seeded with the UK's territorial forces and BTP."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
