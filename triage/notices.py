"""Who is told what, when case work changes something: the notifications each casework service sends.

Called by the services inside their own transaction, so a notification exists exactly when its change was
committed. Each message says what changed, in words safe to e-mail: a case's number and a status, never the
post's text, who posted it, or which volunteer reported it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from hubsite import roles
from hubsite.models import User
from notifications.models import Kind, NotifiedOnce
from notifications.services import notification_send
from reports.models import Report
from triage.models import Case, InfoRequest, Referral

# Officers are told this long before a platform's clock runs out.
PLATFORM_CLOCK_WARNING = timedelta(hours=4)


def officers() -> QuerySet[User]:
    return roles.people_with(roles.WORK_QUEUE)


def _case_link(case_id: int) -> str:
    return reverse("triage:case", args=[case_id])


def _reporters_notify(*, case_id: int, kind: Kind, message: str, anchor: str = "") -> None:
    """The volunteers who reported the post, each pointed at their own report. A partner organisation's report
    (sent through the API) has no volunteer to tell."""
    volunteers = roles.people_with(roles.SUBMIT_REPORT)
    reports = Report.objects.filter(case_id=case_id, reporter__in=volunteers).select_related("reporter")
    links = {report.reporter_id: f"{reverse('reports:mine')}#{anchor or f'report-{report.pk}'}" for report in reports}
    notification_send(
        recipients=[report.reporter for report in reports],
        kind=kind,
        message=message,
        link=reverse("reports:mine"),
        links=links,
    )


def _holder(case: Case, fallback: User | None) -> Iterable[User]:
    """The officer holding the case; when nobody does, or the holder no longer works cases (their account closed,
    their role changed), the officer who acted last on what is being answered; when they have gone too, every
    officer: an answer or a reminder is never told to nobody."""
    holder = officers().filter(pk=case.claimed_by_id).first() if case.claimed_by_id else None
    if holder is None and fallback is not None and officers().filter(pk=fallback.pk).exists():
        holder = fallback
    return [holder] if holder is not None else officers()


def case_decided_notify(*, case: Case, status: str) -> None:
    label = Case.Status(status).label.lower()
    _reporters_notify(
        case_id=case.pk, kind=Kind.CASE_DECIDED, message=f"An officer has decided about a post you reported: {label}."
    )


def platform_answered_notify(*, case: Case, outcome: str) -> None:
    label = Case.PlatformOutcome(outcome).label.lower()
    _reporters_notify(
        case_id=case.pk,
        kind=Kind.CASE_DECIDED,
        message=f"The platform has answered about a post you reported: {label}.",
    )


def question_asked_notify(*, question: InfoRequest) -> None:
    _reporters_notify(
        case_id=question.case_id,
        kind=Kind.QUESTION_ASKED,
        message="An officer has a question about a post you reported. Open your reports to answer it.",
        anchor=f"question-{question.pk}",
    )


def volunteer_answered_notify(*, question: InfoRequest) -> None:
    case = Case.objects.get(pk=question.case_id)
    notification_send(
        recipients=_holder(case, fallback=question.asked_by),
        kind=Kind.VOLUNTEER_ANSWERED,
        message=f"A volunteer has answered the question on case {case.pk}.",
        link=_case_link(case.pk),
    )


def referral_made_notify(*, referral: Referral) -> None:
    liaisons = roles.people_with(roles.LIAISE_FOR_FORCE).filter(liaison__force_id=referral.force_id)
    notification_send(
        recipients=liaisons,
        kind=Kind.NEW_REFERRAL,
        message=f"A new referral (number {referral.pk}) has been sent to {referral.force.name}.",
        link=reverse("liaison:referral", args=[referral.pk]),
    )


def force_answered_notify(*, referral: Referral, what: str) -> None:
    """``what`` is the step in a few words (“accepted it”), never the liaison's own text."""
    case = Case.objects.get(pk=referral.case_id)
    notification_send(
        recipients=_holder(case, fallback=referral.sent_by),
        kind=Kind.FORCE_ANSWERED,
        message=f"{referral.force.name} {what} (referral of case {case.pk}).",
        link=_case_link(case.pk),
    )


def police_outcome_notify(*, referral: Referral) -> None:
    _reporters_notify(
        case_id=referral.case_id,
        kind=Kind.POLICE_OUTCOME,
        message="The police have recorded what they did about a post you reported.",
    )


def case_assigned_notify(*, case: Case, officer: User) -> None:
    """For the service that assigns a case to an officer: call it inside that service's transaction."""
    notification_send(
        recipients=[officer],
        kind=Kind.CASE_ASSIGNED,
        message=f"Case {case.pk} has been assigned to you.",
        link=_case_link(case.pk),
    )


# Reminders, found by the periodic sweep (triage.tasks.remind_officers) -----------------------------------------


def _holder_or_officers(case: Case) -> Iterable[User]:
    return _holder(case, fallback=None)


def _told_before(prefix: str) -> Exists:
    """Rows whose ``once`` key (``prefix`` and the row's id) is taken: left out of the sweep in its one query,
    rather than found again every run and refused one by one. The key's uniqueness still decides a race."""
    key = Concat(Value(prefix), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return Exists(NotifiedOnce.objects.filter(key=key))


def reminders_send(*, now=None) -> int:
    """Tell officers of referrals overdue for acknowledgement and of platform clocks within
    PLATFORM_CLOCK_WARNING of running out: the officer holding the case, or every officer when nobody does.

    The sweep finds the same ones on every run; each is told about once (``once``). A clock that ran out more
    than a day ago is not told of any more (it shows on the queue), so turning this on tells of no old backlog.
    Returns how many were told.
    """
    now = now or timezone.now()
    told = 0
    overdue = Referral.objects.overdue(now).exclude(_told_before("referral-overdue:"))
    for referral in overdue.select_related("case", "force").order_by("pk"):
        told += bool(
            notification_send(
                recipients=_holder_or_officers(referral.case),
                kind=Kind.REFERRAL_OVERDUE,
                message=f"{referral.force.name} has not acknowledged the referral of case {referral.case_id} in time.",
                link=reverse("triage:referral", args=[referral.pk]),
                once=f"referral-overdue:{referral.pk}",
            )
        )
    clock = timedelta(hours=settings.PLATFORM_CLOCK_HOURS)
    # A clock told of already has its key, made after the post was reported to the platform (a report made
    # again starts a new clock, told of anew).
    clock_told = NotifiedOnce.objects.filter(
        key__startswith=Concat(Value("platform-clock:"), Cast(OuterRef("pk"), CharField()), Value(":")),
        created_at__gte=OuterRef("platform_reported_at"),
    )
    closing = (
        Case.objects.filter(
            platform_outcome="",
            platform_reported_at__lte=now - clock + PLATFORM_CLOCK_WARNING,
            platform_reported_at__gt=now - clock - timedelta(days=1),
        )
        .exclude(Exists(clock_told))
        .order_by("pk")
    )
    for case in closing:
        deadline = timezone.localtime(case.platform_clock_deadline())
        ends = "ran out" if deadline <= now else "runs out"
        told += bool(
            notification_send(
                recipients=_holder_or_officers(case),
                kind=Kind.PLATFORM_CLOCK,
                message=f"The platform's {settings.PLATFORM_CLOCK_HOURS}-hour clock on case {case.pk} {ends} "
                f"at {deadline:%H:%M on %d %b}: record the platform's answer.",
                link=_case_link(case.pk),
                once=f"platform-clock:{case.pk}:{case.platform_reported_at.isoformat()}",
            )
        )
    return told
