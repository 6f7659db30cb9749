"""Reads that more than one page or API view needs: the queue, a case with what is shown about it, and
referrals.

Each takes the person reading (``viewer``) and starts from ``Case.objects.visible_to`` (or
``Referral.objects.visible_to``), so a page and the API answer for the same rows, in the same order.
Statistics are read in ``triage/stats.py``. What a partner organisation sent, and what became of it, is
read by ``partner_reports`` for the partner's page and the API alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, Subquery

from hubsite import roles
from hubsite.models import User
from reports.models import Category, Report
from triage.models import Case, CaseEvent, CaseQuerySet, Force, InfoRequest, Referral
from triage.priority import NOT_SCORED, SCORE_BANDS
from triage.search import cases_matching

OPEN = "open"
ANY = "any"
UNSCORED = "unscored"
SORTS = {
    "priority": ("Priority", ("-priority", "created_at", "pk")),
    "age": ("Oldest first", ("created_at", "pk")),
    "reports": ("Most reporters", ("-reporter_count", "-priority", "pk")),
}
# Each band of the score as the queue filters by it: (label, lowest score, score it stays under).
SCORE_FILTERS = {
    **{
        key: (label, floor, SCORE_BANDS[index - 1][2] if index else None)
        for index, (key, label, floor) in enumerate(SCORE_BANDS)
    },
    UNSCORED: (NOT_SCORED, None, None),
}


def case_list(
    *,
    viewer: User,
    status: str = OPEN,
    category: Category | None = None,
    platform: str = "",
    band: str = "",
    flag: str = "",
    breached: bool = False,
    holder: str = "",
    q: str = "",
    sort: str = "priority",
    now: datetime | None = None,
) -> CaseQuerySet:
    """Cases as the queue page, the API's case list and its queue list them: each with its holder and the
    categories its reporters tagged, narrowed and ordered as asked. Every filter is optional (an empty one does
    not narrow); the defaults are the queue's: open cases, highest priority first.

    ``status`` is a ``Case.Status``, ``open`` or ``any`` (empty: ``open``, or ``any`` with a search); ``band`` a
    key of ``SCORE_FILTERS``; ``flag`` one of ``reports.models.SEVERITY_FLAGS``; ``holder`` ``me`` or
    ``unassigned``; ``q`` words to search for (triage/search.py) in the cases' reports, handles, notes and crime
    references; ``sort`` a key of ``SORTS``.
    """
    cases = Case.objects.visible_to(viewer).select_related("claimed_by").prefetch_related("reported_categories")
    # A search looks through closed cases too unless a status is chosen: a crime reference, say, is on a referred
    # case, which is no longer open.
    status = status or (ANY if q else OPEN)
    if status == OPEN:
        cases = cases.filter(status__in=Case.OPEN_STATUSES)
    elif status != ANY:
        cases = cases.filter(status=status)
    if category:
        tagged = Case.reported_categories.through.objects.filter(case=OuterRef("pk"), category=category)
        cases = cases.filter(Exists(tagged))
    if platform:
        cases = cases.filter(platform=platform)
    if band:
        _, low, high = SCORE_FILTERS[band]
        if low is None:
            cases = cases.filter(score__isnull=True)
        else:
            cases = cases.filter(score__gte=low)
            if high is not None:
                cases = cases.filter(score__lt=high)
    if flag:
        cases = cases.filter(**{flag: True})
    if breached:
        cases = cases.platform_clock_breached(now)
    if holder == "me":
        cases = cases.filter(claimed_by=viewer)
    elif holder == "unassigned":
        cases = cases.filter(claimed_by__isnull=True)
    if q:
        cases = cases_matching(cases, q)
    return cases.order_by(*SORTS[sort or "priority"][1])


def case_assignees():
    """The people a case can be given to: active users who may work the queue, by username."""
    return roles.people_with(roles.WORK_QUEUE, include_superusers=True).order_by("username")


def case_list_for_queue_page(*, viewer: User, **filters) -> CaseQuerySet:
    """``case_list`` with what the queue page shows in each row besides: the post (the first report's text and
    platform), the partner organisations among its reporters (each report's ``partner_name``, joined in the same
    query), and whether a referral of the case waits past its time for the force's acknowledgement."""
    first_reports = Report.objects.only("pk", "case_id", "captured_text", "platform", "created_at").annotate(
        partner_name=F("partner_organisation__name")
    )
    return (
        case_list(viewer=viewer, **filters)
        .prefetch_related(Prefetch("reports", queryset=first_reports.order_by("created_at", "pk")))
        .annotate(referral_overdue=Exists(Referral.objects.overdue().filter(case=OuterRef("pk"))))
    )


def case_detail(*, viewer: User) -> CaseQuerySet:
    """Cases as the case page and the API's case detail read one: its holder; its reports oldest first, as the
    timeline reads, each with its reporter (named by pseudonym) and categories; its timeline with who acted; its
    referrals with their force and offences."""
    return (
        Case.objects.visible_to(viewer)
        .select_related("claimed_by")
        .with_reports()
        .prefetch_related(
            Prefetch(
                "events", queryset=CaseEvent.objects.select_related("actor__volunteer", "actor__partner_organisation")
            ),
            Prefetch("referrals", queryset=Referral.objects.select_related("force").prefetch_related("offences")),
        )
    )


def case_detail_for_page(*, viewer: User) -> CaseQuerySet:
    """``case_detail`` with what only the case page shows besides: the counter-speech logged against the case,
    and the questions put to its reporters with their answers, each volunteer named by pseudonym."""
    return case_detail(viewer=viewer).prefetch_related(
        "counter_speech__volunteer__volunteer",
        Prefetch("info_requests", queryset=InfoRequest.objects.prefetch_related("answers__volunteer__volunteer")),
    )


def referrals(*, viewer: User, force: Force | None = None, status: str = "", overdue: bool = False):
    """Referrals as the officers' list, the liaison portal, the referral package and the API read them: only
    those ``viewer`` may see (all for officers, their own force's for a liaison), each with its case, force,
    sender and offences; narrowed, when asked, to one force, one ``Referral.Status``, or those overdue."""
    found = Referral.objects.visible_to(viewer).select_related("case", "force", "sent_by").prefetch_related("offences")
    if force is not None:
        found = found.filter(force=force)
    if status:
        found = found.filter(status=status)
    return found.overdue() if overdue else found


class PartnerStatus:
    """Where a partner's report is, in four steps a partner can follow."""

    RECEIVED = "received"
    ASSESSING = "being_assessed"
    DECIDED = "decided"
    REFERRED = "referred"
    LABELS = {
        RECEIVED: "Received",
        ASSESSING: "Being assessed",
        DECIDED: "Decided",
        REFERRED: "Referred to a police force",
    }
    CHOICES = list(LABELS.items())


@dataclass(frozen=True)
class PartnerProgress:
    """What a partner may know about one report they sent: where it is, the officers' decision with the reason
    they gave for reporters, and what the police did. Never the officers' notes, scores or other reporters."""

    status: str
    status_label: str
    decision: str
    reason: str
    police_outcome: str


_DECIDED = {
    Case.Status.REPORTED_TO_PLATFORM,
    Case.Status.REMOVED_BY_PLATFORM,
    Case.Status.NO_ACTION,
    Case.Status.DISMISSED,
}


def partner_reports(*, viewer: User):
    """The reports ``viewer``'s organisation sent (``Report.objects.sent_for_partner``), newest first, each with
    its case and the latest outcome a force recorded on it (``police_outcome_group``), in one query. Read each
    one's progress with ``partner_progress``."""
    police = (
        Referral.objects.filter(case=OuterRef("case_id"))
        .exclude(outcome_group="")
        .order_by("-outcome_at", "-pk")
        .values("outcome_group")[:1]
    )
    return (
        Report.objects.sent_for_partner(viewer)
        .select_related("case", "reporter")
        .annotate(police_outcome_group=Subquery(police))
        .order_by("-created_at", "-pk")
    )


def partner_progress(report: Report) -> PartnerProgress:
    """Where ``report`` (read through ``partner_reports``) is, in words a partner may see."""
    case = report.case
    if case.status == Case.Status.REFERRED:
        status = PartnerStatus.REFERRED
    elif case.status in _DECIDED:
        status = PartnerStatus.DECIDED
    elif case.status == Case.Status.NEW and report.score_status == Report.ScoreStatus.PENDING:
        status = PartnerStatus.RECEIVED
    else:
        status = PartnerStatus.ASSESSING
    decided = status in (PartnerStatus.DECIDED, PartnerStatus.REFERRED)
    group = getattr(report, "police_outcome_group", None) or ""
    return PartnerProgress(
        status=status,
        status_label=PartnerStatus.LABELS[status],
        decision=case.get_status_display() if decided else "",
        reason=case.note_for_volunteers if decided else "",
        police_outcome=Referral.OUTCOME_FOR_VOLUNTEERS.get(group, ""),
    )
