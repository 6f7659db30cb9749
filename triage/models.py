from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from hubsite import roles
from hubsite.indexes import CoveringIndex, SearchIndex
from reports.models import SEVERITY_FLAGS, Report
from volunteers.pseudonyms import pseudonym


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        """Cases this user may read: officers all of them, nobody else any."""
        if user.is_authenticated and user.has_perm(roles.WORK_QUEUE):
            return self
        return self.none()

    def with_reports(self) -> CaseQuerySet:
        """Prefetch each case's reports (oldest first) and their categories."""
        return self.prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related(
                    "partner_organisation", "reporter__volunteer", "reporter__partner_organisation"
                )
                .prefetch_related("categories")
                .order_by("created_at", "pk"),
            )
        )

    def platform_clock_breached(self, now=None) -> CaseQuerySet:
        """Reported to the platform more than the clock's hours ago, with the platform's answer not yet recorded
        (whatever else has happened to the case since)."""
        now = now or timezone.now()
        return self.filter(
            platform_reported_at__lt=now - timedelta(hours=settings.PLATFORM_CLOCK_HOURS), platform_outcome=""
        )


# Case.OPEN_STATUSES, spelt out for the index conditions inside Case's own Meta.
_OPEN = ("new", "info_requested", "reported_to_platform")


class Case(models.Model):
    """One post under review. Every report about the same post joins its case."""

    class Status(models.TextChoices):
        NEW = "new", "Waiting for review"
        INFO_REQUESTED = "info_requested", "More information requested"
        REPORTED_TO_PLATFORM = "reported_to_platform", "Reported to the platform"
        REMOVED_BY_PLATFORM = "removed_by_platform", "Removed by the platform"
        REFERRED = "referred", "Referred to a police force"
        NO_ACTION = "no_action", "No further action"
        DISMISSED = "dismissed", "Dismissed"
        MERGED = "merged", "Merged into another case"

    class PlatformOutcome(models.TextChoices):
        REMOVED = "removed", "Removed"
        STILL_UP = "still_up", "Still up"
        REFUSED = "refused", "Platform refused"

    # Cases an officer still has to act on; the queue shows these by default.
    OPEN_STATUSES = (Status.NEW, Status.INFO_REQUESTED, Status.REPORTED_TO_PLATFORM)
    # The longest note_for_volunteers the officers' forms and the API accept; the column itself is unbounded text.
    NOTE_FOR_VOLUNTEERS_MAX_LENGTH = 1000

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
    # Worked out by triage.priority from the score, flags, reporters and age; the reasons in words.
    priority = models.FloatField(default=0.0)
    priority_reasons = models.JSONField(default=list, blank=True)
    priority_updated_at = models.DateTimeField(null=True, blank=True)

    # Kept from the case's reports, so the queue filters without joining them.
    platform = models.CharField(max_length=20, blank=True)
    reporter_count = models.PositiveIntegerField(default=0)
    last_reported_at = models.DateTimeField(null=True, blank=True)
    threat_of_violence = models.BooleanField(default=False)
    incitement = models.BooleanField(default=False)
    doxxing = models.BooleanField(default=False)
    targets_individual = models.BooleanField(default=False)
    target_is_child = models.BooleanField(default=False)

    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="claimed_cases"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_decision_at = models.DateTimeField(null=True, blank=True)
    # Set when an officer merged this case into another (the same post, or the same incident): its reports,
    # reporters and counter-speech now live there. See triage/merging.py.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )

    # The platform report and its 24-hour clock.
    platform_reported_at = models.DateTimeField(null=True, blank=True)
    platform_outcome = models.CharField(max_length=10, choices=PlatformOutcome.choices, blank=True)
    platform_outcome_at = models.DateTimeField(null=True, blank=True)
    categories = models.ManyToManyField(
        "reports.Category",
        blank=True,
        related_name="cases",
        help_text="The groups an officer judged the post to target; these become training labels.",
    )
    # The categories the reporters tagged, kept from their reports so the queue filters without joining them.
    reported_categories = models.ManyToManyField("reports.Category", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("work_queue", "Can work the officers' queue and read cases"),
            ("liaise_for_force", "Can act as a force's liaison for referrals"),
            ("view_statistics", "Can see the Hub's statistics"),
        ]
        # The queue's default view is open cases; these partial indexes hand them over already in each
        # sort order, so a page is read without sorting every open case.
        indexes = [
            models.Index(
                fields=["-priority", "created_at", "id"], name="case_open_priority_idx", condition=Q(status__in=_OPEN)
            ),
            models.Index(fields=["created_at", "id"], name="case_open_age_idx", condition=Q(status__in=_OPEN)),
            models.Index(
                fields=["-reporter_count", "-priority", "id"],
                name="case_open_reporters_idx",
                condition=Q(status__in=_OPEN),
            ),
            # Counting open cases by score band, platform, flag or holder reads this index alone (PostgreSQL;
            # SQLite keeps the score alone, without a warning on every check).
            CoveringIndex(
                fields=["score"],
                name="case_open_facts_idx",
                covering=["platform", "claimed_by", *SEVERITY_FLAGS],
                condition=Q(status__in=_OPEN),
            ),
            models.Index(fields=["status", "-priority", "created_at"], name="case_priority_idx"),
            models.Index(fields=["status", "created_at"], name="case_age_idx"),
            models.Index(fields=["status", "-reporter_count", "created_at"], name="case_reporters_idx"),
            models.Index(fields=["claimed_by", "status"], name="case_claimed_idx"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def platform_clock_deadline(self):
        if self.platform_reported_at is None:
            return None
        return self.platform_reported_at + timedelta(hours=settings.PLATFORM_CLOCK_HOURS)

    @property
    def platform_report_open(self) -> bool:
        """Reported to the platform, and its answer (removed, still up, refused) not yet recorded."""
        return self.platform_reported_at is not None and not self.platform_outcome

    def platform_clock_breached(self, now=None) -> bool:
        deadline = self.platform_clock_deadline()
        return bool(deadline and self.platform_report_open and (now or timezone.now()) > deadline)

    def severity_labels(self) -> list[str]:
        return [str(Report._meta.get_field(flag).verbose_name) for flag in SEVERITY_FLAGS if getattr(self, flag)]


class CaseSearch(models.Model):
    """The words the desk's search finds a case by: its reports' captured text, handles and notes, its officers'
    notes and its crime references, as one PostgreSQL ``tsvector`` under a GIN index (triage/search.py keeps it).

    A row of its own rather than a column of ``Case``: the queue reads the case table for every page, and this
    document grows with the case's reports.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="search")
    document = SearchVectorField(null=True)

    class Meta:
        indexes = [SearchIndex(fields=["document"], name="case_search_document_idx")]

    def __str__(self) -> str:
        return f"Search words of case {self.case_id}"


class SavedFilter(models.Model):
    """An officer's named set of the queue's filters, kept as the query string the queue page reads."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(max_length=60)
    # A text column: the search alone may be 200 characters, which percent-encoded is up to 2,400 (emoji).
    query = models.TextField(help_text="The queue's filters as a URL query string.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are written once: bulk changes and deletions are refused."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model.__name__} rows are never changed")

    def delete(self):
        raise PermissionError(f"{self.model.__name__} rows are never deleted")


class CaseEvent(models.Model):
    """One thing that happened to a case: who, when, what, and a note. Append-only.

    The model refuses changes and deletions; on PostgreSQL a trigger refuses
    them too, so not even a raw query can rewrite the timeline.
    """

    class Kind(models.TextChoices):
        REPORTED = "reported", "Reported"
        SCORED = "scored", "Scored"
        CLAIMED = "claimed", "Claimed"
        ASSIGNED = "assigned", "Assigned"
        RELEASED = "released", "Released"
        NOTE = "note", "Note"
        DISMISSED = "dismissed", "Dismissed"
        INFO_REQUESTED = "info_requested", "More information requested"
        INFO_GIVEN = "info_given", "Information given"
        REPORTED_TO_PLATFORM = "reported_to_platform", "Reported to the platform"
        PLATFORM_OUTCOME = "platform_outcome", "Platform's answer recorded"
        REFERRED = "referred", "Referred to a force"
        REFERRAL_UPDATED = "referral_updated", "Referral updated"
        NO_ACTION = "no_action", "No further action"
        CLOSED = "closed", "Closed"
        REDACTED = "redacted", "Redacted under the retention schedule"
        MERGED = "merged", "Another case merged into this one"
        MERGED_INTO = "merged_into", "Merged into another case"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    # Set when the event is written, never after: an officer's note marked for the force is shown, with its
    # author's username, in the referral package a force reads. Every other note stays inside the Hub.
    for_force = models.BooleanField("shared with the force", default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Case events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Case events are never deleted")

    # Events a volunteer makes: shown with their pseudonym, never their name.
    VOLUNTEER_KINDS = (Kind.REPORTED, Kind.INFO_GIVEN)

    def actor_label(self) -> str:
        if self.actor is None:
            return "the Hub"
        if self.kind in self.VOLUNTEER_KINDS:
            return pseudonym(self.actor)
        return self.actor.get_username()


class InfoRequest(models.Model):
    """An officer's question to the volunteers who reported a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="info_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Question on case {self.case_id}"


class InfoAnswer(models.Model):
    """A reporting volunteer's answer to an officer's question."""

    request = models.ForeignKey(InfoRequest, on_delete=models.PROTECT, related_name="answers")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Answer to question {self.request_id}"


class ClassifierVersionQuerySet(models.QuerySet):
    def active(self) -> ClassifierVersion | None:
        return self.filter(is_active=True).first()


# How officers' decisions become training labels: a case closed this way was judged hateful (1) or not (0).
DECISION_LABELS = {
    "dismissed": 0,
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
        permissions = [("activate_classifierversion", "Can make a classifier version the active one")]

    def __str__(self) -> str:
        return self.version

    @property
    def held_out(self) -> dict:
        return self.metrics.get("held_out") or {}

    @property
    def functional(self) -> dict:
        return self.metrics.get("functional") or {}


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


class ClassifierTrainingQuerySet(models.QuerySet):
    def in_progress(self) -> ClassifierTrainingQuerySet:
        return self.filter(status__in=ClassifierTraining.IN_PROGRESS)


class ClassifierTraining(models.Model):
    """A retraining an admin started from the classifier versions page, run by a worker on the training queue.

    The worker writes its progress here as it goes, and the version it made or why it failed when it ends.
    Only one may be queued or running at a time: the database refuses a second.
    """

    class Data(models.TextChoices):
        # Each choice names the sources it trains on in triage/classifier_services.py (TRAINING_SOURCES).
        PUBLIC_AND_DECISIONS = "public+decisions", "Public recipe + officers' decisions"
        PUBLIC = "public", "Public recipe"
        LIGHT = "light", "Light recipe (seed corpus only)"
        DECISIONS_AND_SEED = "decisions+seed", "Officers' decisions + seed corpus"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    data = models.CharField(max_length=20, choices=Data.choices)
    seed = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.TextField(blank=True, help_text="What the worker reported, one line at a time.")
    version = models.ForeignKey(
        ClassifierVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="trainings"
    )
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker every few seconds while it trains: a run whose worker died stops renewing it.
    alive_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ClassifierTrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One index entry for every training in progress, all with the same key: a second one is refused.
            models.UniqueConstraint(
                models.Value(True, output_field=models.BooleanField()),
                condition=Q(status__in=["queued", "running"]),
                name="one_classifier_training_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"Training {self.pk} ({self.get_data_display()}, seed {self.seed})"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS


class Force(models.Model):
    """A police force a case can be referred to. Seeded with the UK's territorial forces and BTP."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ForceLiaison(models.Model):
    """A liaison user's force: they see that force's referrals and nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="liaisons")

    def __str__(self) -> str:
        return f"{self.user} for {self.force}"


class Offence(models.Model):
    """A suspected offence an officer may name on a referral. Data an admin can extend."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        """Officers see every referral; a liaison user only their own force's; nobody else any."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm(roles.WORK_QUEUE):
            return self
        if user.has_perm(roles.LIAISE_FOR_FORCE):
            force_id = ForceLiaison.objects.filter(user=user).values_list("force_id", flat=True).first()
            return self.filter(force_id=force_id) if force_id else self.none()
        return self.none()

    def overdue(self, now=None) -> ReferralQuerySet:
        """Sent and not acknowledged within ``REFERRAL_ACKNOWLEDGE_WITHIN``."""
        now = now or timezone.now()
        return self.filter(status=Referral.Status.SENT, sent_at__lt=now - settings.REFERRAL_ACKNOWLEDGE_WITHIN)

    def outcomes_for_reporter(self, user, case_ids) -> dict[int, str]:
        """For each of ``case_ids`` this user reported, what the police did, in plain words for volunteers.

        One query; the latest outcome a force recorded on the case wins.
        """
        if not user.is_authenticated:
            return {}
        answered = (
            self.filter(case_id__in=case_ids, case__reports__reporter=user)
            .exclude(outcome_group="")
            .only("case_id", "outcome_group")
            .order_by("outcome_at", "pk")
        )
        return {referral.case_id: referral.outcome_for_volunteers() for referral in answered}


class Referral(models.Model):
    """A case sent to a police force, and what the force did with it."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        CLOSED = "closed", "Outcome recorded"

    class OutcomeGroup(models.TextChoices):
        """The Home Office crime outcome groups, as a force records what became of a crime."""

        CHARGED = "charged", "Charged or summonsed"
        CAUTION = "caution", "Caution"
        COMMUNITY_RESOLUTION = "community_resolution", "Community resolution"
        PENALTY_NOTICE = "penalty_notice", "Penalty notice"
        TAKEN_INTO_CONSIDERATION = "taken_into_consideration", "Taken into consideration"
        NOT_IN_PUBLIC_INTEREST = "not_in_public_interest", "Not in the public interest"
        EVIDENTIAL_DIFFICULTIES = "evidential_difficulties", "Evidential difficulties"
        SUSPECT_NOT_IDENTIFIED = "suspect_not_identified", "Suspect not identified"
        TRANSFERRED = "transferred", "Transferred to another force"
        ONGOING = "ongoing", "Investigation ongoing"

    # What the reporting volunteers read on My reports: plain words, never the force's details, its crime
    # reference or anyone's name.
    OUTCOME_FOR_VOLUNTEERS = {
        OutcomeGroup.CHARGED: "Police charged or summonsed someone.",
        OutcomeGroup.CAUTION: "Police gave someone a caution.",
        OutcomeGroup.COMMUNITY_RESOLUTION: "Police dealt with it by a community resolution with the person "
        "responsible.",
        OutcomeGroup.PENALTY_NOTICE: "Police gave someone a penalty notice (a fine).",
        OutcomeGroup.TAKEN_INTO_CONSIDERATION: "Police dealt with it together with other offences someone admitted.",
        OutcomeGroup.NOT_IN_PUBLIC_INTEREST: "Police decided that taking it further was not in the public interest.",
        OutcomeGroup.EVIDENTIAL_DIFFICULTIES: "Police could not take it further because of difficulties with the "
        "evidence.",
        OutcomeGroup.SUSPECT_NOT_IDENTIFIED: "Police could not identify who posted it.",
        OutcomeGroup.TRANSFERRED: "Police passed it to another force.",
        OutcomeGroup.ONGOING: "Police are still investigating. This is not the final outcome: it will be shown "
        "here when the force records it.",
    }

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="referrals")
    offences = models.ManyToManyField(Offence, related_name="referrals")
    summary = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    crime_reference = models.CharField(max_length=60, blank=True)
    decline_reason = models.TextField(blank=True)
    # The outcome group the force chose; ``outcome`` holds its details in its own words (and, for referrals
    # answered before the groups existed, the whole answer).
    outcome_group = models.CharField(max_length=24, choices=OutcomeGroup.choices, blank=True)
    outcome = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["force", "status"]),
            models.Index(fields=["status", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.force}"

    def outcome_for_volunteers(self) -> str:
        """The force's outcome in plain words for the reporting volunteers, or "" when none was chosen."""
        return self.OUTCOME_FOR_VOLUNTEERS.get(self.outcome_group, "")

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.SENT and (now or timezone.now()) - self.sent_at > (
            settings.REFERRAL_ACKNOWLEDGE_WITHIN
        )
