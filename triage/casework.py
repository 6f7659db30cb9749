"""Writes for officers' case work and for referrals: claims, decisions, notes, the platform
clock, referrals and the force's answers, and the priority that orders the queue.

Every change is one transaction that also appends to the case's timeline
(``CaseEvent``), and every change a volunteer should see lands on the case,
where each reporter's page reads it.
"""

from __future__ import annotations

import json
import re
import string
from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hubsite import roles
from hubsite.audit import audit_record
from hubsite.models import AuditEvent, User
from reports.models import SEVERITY_FLAGS, Report
from triage import notices, priority
from triage.models import Case, CaseEvent, Force, ForceLiaison, InfoAnswer, InfoRequest, Offence, Referral
from triage.search import case_search_refresh
from triage.track_record import agreement_by_reporter

PRIORITY_CHUNK = 2000
# The queue's cases-per-status figures, cleared whenever a case changes status.
STATUS_COUNTS_CACHE_KEY = "queue:status-counts"


class CaseWorkError(Exception):
    """A request about a case that cannot be carried out; the message says why, for the officer."""


class CaseHeldByAnother(CaseWorkError):
    def __init__(self, holder: User):
        super().__init__(f"{holder.get_username()} is working on this case.")
        self.holder = holder


# Priority ------------------------------------------------------------------------------------------------


def case_priority_refresh(*, case_ids: Iterable[int] | None = None, now=None) -> int:
    """Work out the priority of the given cases (all open cases by default) and store it with its reasons.

    A few queries per chunk of cases, whatever their number: reporters are read
    for a whole chunk at once, each reporter's track record once per run, and
    the results written in one statement per chunk.
    """
    now = now or timezone.now()
    cases = (
        Case.objects.filter(pk__in=list(case_ids))
        if case_ids is not None
        else Case.objects.filter(status__in=Case.OPEN_STATUSES)
    )
    fields = ("pk", "score", "reporter_count", "created_at", *SEVERITY_FLAGS)
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    agreement: dict[int, float | None] = {}
    for start in range(0, len(ids), PRIORITY_CHUNK):
        chunk = list(Case.objects.filter(pk__in=ids[start : start + PRIORITY_CHUNK]).only(*fields))
        reporters: dict[int, list[int]] = defaultdict(list)
        for case_id, reporter_id in Report.objects.filter(case__in=chunk).values_list("case_id", "reporter_id"):
            reporters[case_id].append(reporter_id)
        unknown = {rid for found in reporters.values() for rid in found} - agreement.keys()
        agreement.update(agreement_by_reporter(unknown, now=now))
        assessed = {}
        for case in chunk:
            known = [agreement[rid] for rid in reporters[case.pk] if agreement.get(rid) is not None]
            assessed[case.pk] = priority.assess(
                priority.CaseFacts(
                    score=case.score,
                    flags=frozenset(flag for flag in SEVERITY_FLAGS if getattr(case, flag)),
                    reporter_count=case.reporter_count,
                    agreement=sum(known) / len(known) if known else None,
                    created_at=case.created_at,
                ),
                now=now,
            )
        _store_priorities(assessed, now)
    return len(ids)


def _store_priorities(assessed: dict[int, priority.Priority], now) -> None:
    if connection.vendor == "postgresql":
        # One UPDATE ... FROM (VALUES ...) per chunk: far faster than an ORM bulk update's CASE per row.
        from psycopg2.extras import execute_values

        with connection.cursor() as cursor:
            execute_values(
                cursor,
                "UPDATE triage_case SET priority = v.points, priority_reasons = v.reasons::jsonb, "
                "priority_updated_at = v.updated FROM (VALUES %s) AS v(id, points, reasons, updated) "
                "WHERE triage_case.id = v.id",
                [(pk, found.points, json.dumps(found.reasons), now) for pk, found in assessed.items()],
                template="(%s, %s::double precision, %s, %s::timestamptz)",
                page_size=max(len(assessed), 1),
            )
        return
    cases = [
        Case(pk=pk, priority=found.points, priority_reasons=found.reasons, priority_updated_at=now)
        for pk, found in assessed.items()
    ]
    Case.objects.bulk_update(cases, ["priority", "priority_reasons", "priority_updated_at"])


def case_report_joined(*, case: Case, report: Report) -> None:
    """A report has been saved on ``case`` (inside the submitting transaction): keep the case's
    counts and flags, note it on the timeline, and work out the priority again."""
    flags = {flag: True for flag in SEVERITY_FLAGS if getattr(report, flag)}
    Case.objects.filter(pk=case.pk).update(
        reporter_count=F("reporter_count") + 1, last_reported_at=report.created_at, **flags
    )
    Case.objects.filter(pk=case.pk, platform="").update(platform=report.platform)
    tags = Case.reported_categories.through
    tags.objects.bulk_create(
        [
            tags(case_id=case.pk, category_id=category_id)
            for category_id in report.categories.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REPORTED, actor=report.reporter, note=f"Report {report.pk}")
    case_priority_refresh(case_ids=[case.pk])
    case_search_refresh(case_ids=[case.pk])


# Claims ---------------------------------------------------------------------------------------------------


def case_claim(*, case: Case, officer: User) -> Case:
    """Take a case to work on. Of two officers claiming at once exactly one wins; the other is told who."""
    now = timezone.now()
    with transaction.atomic():
        won = Case.objects.filter(pk=case.pk, claimed_by__isnull=True).update(claimed_by=officer, claimed_at=now)
        if not won:
            holder = Case.objects.select_related("claimed_by").get(pk=case.pk).claimed_by
            if holder is not None and holder.pk != officer.pk:
                raise CaseHeldByAnother(holder)
            return Case.objects.get(pk=case.pk)
        _staff_event(case_id=case.pk, kind=CaseEvent.Kind.CLAIMED, actor=officer)
    return Case.objects.get(pk=case.pk)


def case_release(*, case: Case, officer: User) -> Case:
    """Give a claimed case back to the queue. Only its holder may."""
    with transaction.atomic():
        released = Case.objects.filter(pk=case.pk, claimed_by=officer).update(claimed_by=None, claimed_at=None)
        if not released:
            raise CaseWorkError("You are not working on this case, so there is nothing to release.")
        _staff_event(case_id=case.pk, kind=CaseEvent.Kind.RELEASED, actor=officer)
    return Case.objects.get(pk=case.pk)


def case_assign(*, case: Case, officer: User, assignee: User) -> Case:
    """``officer`` gives the case to a colleague, who then holds it as if they had claimed it; the timeline
    and the audit log say who gave it to whom.

    An officer may assign a case nobody holds, or one they hold themselves (handing it over); a case another
    officer holds stays theirs until they release it or hand it over, as with every decision. The colleague must
    be an active user who may work the queue. The row is locked first, so an assignment and a claim, or two
    assignments, one after the other, never both win.

    The colleague is told here, in the same transaction (their e-mail, if they want one, goes once it commits).
    """
    if assignee is None:
        raise CaseWorkError("Choose the colleague to give the case to.")
    if not (assignee.is_active and assignee.has_perm(roles.WORK_QUEUE)):
        raise CaseWorkError(f"{assignee.get_username()} does not work cases: choose an officer.")
    if assignee.pk == officer.pk:
        raise CaseWorkError("To take the case yourself, claim it.")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for(case, officer)
        if not (locked.is_open or locked.status == Case.Status.REMOVED_BY_PLATFORM or locked.platform_report_open):
            raise CaseWorkError(f"This case is {locked.get_status_display().lower()}: there is nothing to assign.")
        Case.objects.filter(pk=locked.pk).update(claimed_by=assignee, claimed_at=now)
        _staff_event(
            case_id=locked.pk,
            kind=CaseEvent.Kind.ASSIGNED,
            actor=officer,
            note=f"Assigned to {assignee.get_username()}.",
            created_at=now,
            assignee=assignee.pk,
            previous_holder=locked.claimed_by_id,
        )
        notices.case_assigned_notify(case=locked, officer=assignee)
    return Case.objects.select_related("claimed_by").get(pk=case.pk)


# Decisions ------------------------------------------------------------------------------------------------


def _staff_event(
    *, case_id: int, kind: str, actor: User, note: str = "", created_at=None, for_force: bool = False, **detail
) -> CaseEvent:
    """An officer's or liaison's step on the case's timeline, and in the audit log with where it came from
    (and any ``detail``, such as the old and new values of a correction)."""
    event = CaseEvent.objects.create(
        case_id=case_id, kind=kind, actor=actor, note=note, created_at=created_at or timezone.now(), for_force=for_force
    )
    referral_kinds = (CaseEvent.Kind.REFERRED, CaseEvent.Kind.REFERRAL_UPDATED)
    audit_record(
        AuditEvent.Action.REFERRAL_STEP if kind in referral_kinds else AuditEvent.Action.CASE_DECISION,
        target=Case(pk=case_id),
        actor=actor,
        summary=f"{event.get_kind_display()}: {note}" if note else event.get_kind_display(),
        kind=kind,
        event=event.pk,
        **detail,
    )
    return event


def _locked_for(case: Case, officer: User) -> Case:
    """The case, locked for this transaction, after checking nobody else holds it."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.claimed_by_id is not None and locked.claimed_by_id != officer.pk:
        raise CaseHeldByAnother(User.objects.get(pk=locked.claimed_by_id))
    return locked


def _decide(
    *,
    case: Case,
    officer: User,
    status: str,
    kind: str,
    note: str,
    note_for_volunteers: str = "",
    allowed_from: Iterable[str] = Case.OPEN_STATUSES,
    categories=(),
    check=None,
    **fields,
) -> Case:
    """Validate, lock, then write, in one transaction: a refused decision (held by another officer, a status
    that does not allow it, or ``check`` raising on the locked case) changes nothing, not even the officer's
    judged ``categories``, which are written only once the decision is allowed."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for(case, officer)
        if locked.status not in allowed_from:
            raise CaseWorkError(f"This case is already {locked.get_status_display().lower()}.")
        if check is not None:
            check(locked)
        _judge_categories(locked, categories)
        changes = {"status": status, "status_changed_at": now, **fields}
        if note_for_volunteers:
            changes["note_for_volunteers"] = note_for_volunteers
        if locked.first_decision_at is None:
            changes["first_decision_at"] = now
        Case.objects.filter(pk=case.pk).update(**changes)
        _staff_event(case_id=case.pk, kind=kind, actor=officer, note=note, created_at=now)
        case_priority_refresh(case_ids=[case.pk], now=now)
        if status != Case.Status.INFO_REQUESTED:  # a question is told as the question itself
            notices.case_decided_notify(case=locked, status=status)
        transaction.on_commit(lambda: cache.delete(STATUS_COUNTS_CACHE_KEY))
    return Case.objects.get(pk=case.pk)


def _required(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseWorkError(f"Give {what}.")
    return text


def case_dismiss(*, case: Case, officer: User, reason: str, note_for_volunteers: str = "") -> Case:
    """Not hateful, or not for the Hub: closed, with the reason on the timeline."""
    return _decide(
        case=case,
        officer=officer,
        status=Case.Status.DISMISSED,
        kind=CaseEvent.Kind.DISMISSED,
        note=_required(reason, "a reason for dismissing the case"),
        note_for_volunteers=note_for_volunteers,
    )


def case_no_further_action(*, case: Case, officer: User, reason: str, note_for_volunteers: str = "") -> Case:
    return _decide(
        case=case,
        officer=officer,
        status=Case.Status.NO_ACTION,
        kind=CaseEvent.Kind.NO_ACTION,
        note=_required(reason, "a reason for taking no further action"),
        note_for_volunteers=note_for_volunteers,
    )


def case_request_info(*, case: Case, officer: User, question: str) -> InfoRequest:
    """Ask the reporting volunteers for more; they see the question beside their report and can answer."""
    question = _required(question, "the question for the volunteers")
    with transaction.atomic():
        _decide(
            case=case,
            officer=officer,
            status=Case.Status.INFO_REQUESTED,
            kind=CaseEvent.Kind.INFO_REQUESTED,
            note=question,
        )
        asked = InfoRequest.objects.create(case=case, asked_by=officer, question=question)
        notices.question_asked_notify(question=asked)
        return asked


def info_answer(*, info_request: InfoRequest, volunteer: User, answer: str) -> InfoAnswer:
    """A reporting volunteer answers an officer's question; the case goes back to the queue."""
    answer = _required(answer, "your answer")
    if not Report.objects.filter(case_id=info_request.case_id, reporter=volunteer).exists():
        raise CaseWorkError("Only the volunteers who reported this post can answer.")
    with transaction.atomic():
        given = InfoAnswer.objects.create(request=info_request, volunteer=volunteer, answer=answer)
        CaseEvent.objects.create(
            case_id=info_request.case_id, kind=CaseEvent.Kind.INFO_GIVEN, actor=volunteer, note=answer
        )
        Case.objects.filter(pk=info_request.case_id, status=Case.Status.INFO_REQUESTED).update(
            status=Case.Status.NEW, status_changed_at=timezone.now()
        )
        notices.volunteer_answered_notify(question=info_request)
    return given


def _judge_categories(case: Case, categories) -> None:
    """The groups the officer judged the post to target; they become training labels."""
    if categories:
        case.categories.set(categories)


def case_report_to_platform(*, case: Case, officer: User, note: str = "", categories=()) -> Case:
    """The officer has reported the post to its platform: the 24-hour clock starts now."""
    now = timezone.now()
    return _decide(
        case=case,
        officer=officer,
        status=Case.Status.REPORTED_TO_PLATFORM,
        kind=CaseEvent.Kind.REPORTED_TO_PLATFORM,
        note=note.strip(),
        allowed_from=(Case.Status.NEW, Case.Status.INFO_REQUESTED),
        categories=categories,
        check=_no_platform_report_open,
        platform_reported_at=now,
        platform_outcome="",
        platform_outcome_at=None,
    )


def _no_platform_report_open(case: Case) -> None:
    # Starting a second clock would hide the first report's answer, which is still owed.
    if case.platform_report_open:
        made = timezone.localtime(case.platform_reported_at)
        raise CaseWorkError(
            f"The platform has not yet answered the report made {made:%d %b %Y, %H:%M}: record its answer first."
        )


def case_record_platform_outcome(*, case: Case, officer: User, outcome: str, note: str = "") -> Case:
    """Removed, still up or refused: the platform's answer stops the 24-hour clock.

    It can be recorded for as long as a platform report waits for its answer, whatever else has happened to
    the case since (referred, dismissed, a question to the volunteers): the clock must always be closable. Only
    a case still at "reported to the platform" moves on: removed closes it, the others send it back to the
    queue for a decision.
    """
    if outcome not in Case.PlatformOutcome.values:
        raise CaseWorkError("Choose what the platform did.")
    label = Case.PlatformOutcome(outcome).label
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_for(case, officer)
        if not locked.platform_report_open:
            raise CaseWorkError(
                "The platform's answer is already recorded."
                if locked.platform_reported_at
                else "This case has not been reported to the platform."
            )
        changes = {"platform_outcome": outcome, "platform_outcome_at": now}
        if locked.status == Case.Status.REPORTED_TO_PLATFORM:
            removed = outcome == Case.PlatformOutcome.REMOVED
            changes.update(
                status=Case.Status.REMOVED_BY_PLATFORM if removed else Case.Status.NEW, status_changed_at=now
            )
            if locked.first_decision_at is None:
                changes["first_decision_at"] = now
        Case.objects.filter(pk=locked.pk).update(**changes)
        _staff_event(
            case_id=locked.pk,
            kind=CaseEvent.Kind.PLATFORM_OUTCOME,
            actor=officer,
            note=f"{label}. {note.strip()}".strip(),
            created_at=now,
        )
        notices.platform_answered_notify(case=locked, outcome=outcome)
        case_priority_refresh(case_ids=[locked.pk], now=now)
        transaction.on_commit(lambda: cache.delete(STATUS_COUNTS_CACHE_KEY))
    return Case.objects.get(pk=case.pk)


def case_add_note(*, case: Case, officer: User, note: str, for_force: bool = False) -> CaseEvent:
    """A note on the timeline. Internal to the Hub unless ``for_force``: then the forces the case is referred
    to read it, and who wrote it, in the referral package. Officers find the case by its notes' words."""
    note = _required(note, "the note's text")
    with transaction.atomic():
        event = _staff_event(
            case_id=case.pk,
            kind=CaseEvent.Kind.NOTE,
            actor=officer,
            note=note,
            for_force=for_force,
            shared_with_force=for_force,
        )
        case_search_refresh(case_ids=[case.pk])
    return event


def cases_bulk_close(*, case_ids: Iterable[int], officer: User, status: str, reason: str) -> tuple[int, list[str]]:
    """Dismiss, or take no further action on, several cases with one reason.

    Returns how many were closed and, for each that was not, why (held by
    another officer, already closed).
    """
    decide = {Case.Status.DISMISSED: case_dismiss, Case.Status.NO_ACTION: case_no_further_action}.get(status)
    if decide is None:
        raise CaseWorkError("Choose dismiss or no further action.")
    reason = _required(reason, "a reason")
    closed, refused = 0, []
    for case in Case.objects.filter(pk__in=list(case_ids)).order_by("pk"):
        try:
            decide(case=case, officer=officer, reason=reason)
            closed += 1
        except CaseWorkError as error:
            refused.append(f"Case {case.pk}: {error}")
    return closed, refused


# Referrals ------------------------------------------------------------------------------------------------


def case_refer(
    *,
    case: Case,
    officer: User,
    force: Force | None,
    offences: Iterable[Offence],
    summary: str,
    note_for_volunteers: str = "",
    categories=(),
) -> Referral:
    """Send the case to a force: the referral starts as sent, and the case is referred."""
    if force is None:
        raise CaseWorkError("Choose the force.")
    offences = list(offences)
    if not offences:
        raise CaseWorkError("Choose at least one suspected offence.")
    summary = _required(summary, "a summary for the force")
    with transaction.atomic():
        _decide(
            case=case,
            officer=officer,
            status=Case.Status.REFERRED,
            kind=CaseEvent.Kind.REFERRED,
            note=f"To {force.name}: {summary}",
            note_for_volunteers=note_for_volunteers,
            allowed_from=(*Case.OPEN_STATUSES, Case.Status.REMOVED_BY_PLATFORM),
            categories=categories,
        )
        referral = Referral.objects.create(case=case, force=force, summary=summary, sent_by=officer)
        referral.offences.set(offences)
        notices.referral_made_notify(referral=referral)
    return referral


def _referral_step(
    *, referral: Referral, actor: User, allowed_from, note: str, told: str, tell_reporters: bool = False, **changes
) -> Referral:
    """A force's answer. ``told`` is the step in a few words for the officer's notification (the liaison's own
    text stays on the timeline); with ``tell_reporters``, the reporting volunteers are told the police recorded one."""
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status not in allowed_from:
            raise CaseWorkError(f"This referral is {locked.get_status_display().lower()}: that step is not open.")
        Referral.objects.filter(pk=referral.pk).update(**changes)
        _staff_event(case_id=locked.case_id, kind=CaseEvent.Kind.REFERRAL_UPDATED, actor=actor, note=note)
        if "crime_reference" in changes:
            case_search_refresh(case_ids=[locked.case_id])
        notices.force_answered_notify(referral=locked, what=told)
        if tell_reporters:
            notices.police_outcome_notify(referral=locked)
    return Referral.objects.get(pk=referral.pk)


def referral_acknowledge(*, referral: Referral, liaison: User) -> Referral:
    return _referral_step(
        referral=referral,
        actor=liaison,
        allowed_from=(Referral.Status.SENT,),
        note=f"{referral.force.name} acknowledged the referral.",
        told="acknowledged the referral",
        status=Referral.Status.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
    )


# A crime reference as forces' systems write them (12/34567/26, WM-2026-0042, 46/XYZ/0042/24): a slip such
# as "x" or a pasted sentence is refused here, by the rule the liaison pages and the API both translate.
CRIME_REFERENCE = re.compile(r"[A-Za-z0-9/-]{6,40}")
CRIME_REFERENCE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "/-")
CRIME_REFERENCE_HELP = (
    "Type it exactly as your force's system shows it, for example 12/34567/26: "
    "6 to 40 letters, digits, slashes (/) or hyphens (-), with no spaces."
)


def crime_reference_clean(text: str) -> str:
    """The crime reference as typed, without surrounding spaces, or a ``CaseWorkError`` saying what is wrong."""
    reference = (text or "").strip()
    if not reference:
        raise CaseWorkError("Give the force's crime reference number.")
    if CRIME_REFERENCE.fullmatch(reference):
        return reference
    unexpected = sorted(set(reference) - CRIME_REFERENCE_CHARACTERS)
    if unexpected:
        shown = ", ".join("spaces" if character.isspace() else f"“{character}”" for character in unexpected)
        raise CaseWorkError(f"A crime reference cannot contain {shown}. {CRIME_REFERENCE_HELP}")
    raise CaseWorkError(
        f"That is {len(reference)} character{'s' if len(reference) != 1 else ''} long. {CRIME_REFERENCE_HELP}"
    )


def referral_accept(*, referral: Referral, liaison: User, crime_reference: str) -> Referral:
    crime_reference = crime_reference_clean(crime_reference)
    now = timezone.now()
    return _referral_step(
        referral=referral,
        actor=liaison,
        allowed_from=(Referral.Status.SENT, Referral.Status.ACKNOWLEDGED),
        note=f"{referral.force.name} accepted it as crime {crime_reference}.",
        told="accepted the referral as a crime",
        status=Referral.Status.ACCEPTED,
        crime_reference=crime_reference,
        acknowledged_at=Coalesce(F("acknowledged_at"), Value(now)),
        answered_at=now,
    )


def referral_decline(*, referral: Referral, liaison: User, reason: str) -> Referral:
    reason = _required(reason, "the reason the force declines it")
    now = timezone.now()
    return _referral_step(
        referral=referral,
        actor=liaison,
        allowed_from=(Referral.Status.SENT, Referral.Status.ACKNOWLEDGED),
        note=f"{referral.force.name} declined it: {reason}",
        told="declined the referral",
        status=Referral.Status.DECLINED,
        decline_reason=reason,
        acknowledged_at=Coalesce(F("acknowledged_at"), Value(now)),
        answered_at=now,
    )


def referral_record_outcome(*, referral: Referral, liaison: User, outcome_group: str, outcome: str = "") -> Referral:
    """The force's outcome: one of the Home Office outcome groups, with its details in the force's words.

    "Investigation ongoing" is not final: the referral stays accepted, so the force can record the final
    outcome later; any other group closes it.
    """
    if outcome_group not in Referral.OutcomeGroup.values:
        raise CaseWorkError("Choose the outcome your force recorded.")
    group = Referral.OutcomeGroup(outcome_group)
    details = (outcome or "").strip()
    final = group != Referral.OutcomeGroup.ONGOING
    return _referral_step(
        referral=referral,
        actor=liaison,
        allowed_from=(Referral.Status.ACCEPTED,),
        note=f"Outcome from {referral.force.name}: {group.label}." + (f" {details}" if details else ""),
        told="recorded an outcome",
        tell_reporters=True,
        status=Referral.Status.CLOSED if final else Referral.Status.ACCEPTED,
        outcome_group=group,
        outcome=details,
        outcome_at=timezone.now(),
    )


def referral_correct_crime_reference(
    *, referral: Referral, liaison: User, crime_reference: str, reason: str
) -> Referral:
    """A liaison of the force corrects the crime reference it gave, saying why; the timeline and the audit log
    keep the old and the new."""
    crime_reference = crime_reference_clean(crime_reference)
    reason = _required(reason, "the reason for the correction")
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if not ForceLiaison.objects.filter(user=liaison, force_id=locked.force_id).exists():
            raise CaseWorkError(
                "Only a liaison of the force this case was referred to can correct its crime reference."
            )
        if not locked.crime_reference:
            raise CaseWorkError("This referral has no crime reference yet: accept it with the reference first.")
        previous = locked.crime_reference
        if crime_reference == previous:
            raise CaseWorkError(f"The crime reference is already {previous}: nothing to correct.")
        Referral.objects.filter(pk=locked.pk).update(crime_reference=crime_reference)
        case_search_refresh(case_ids=[locked.case_id])
        _staff_event(
            case_id=locked.case_id,
            kind=CaseEvent.Kind.REFERRAL_UPDATED,
            actor=liaison,
            note=f"{referral.force.name} corrected the crime reference from {previous} to {crime_reference}: {reason}",
            referral=locked.pk,
            old_crime_reference=previous,
            new_crime_reference=crime_reference,
        )
        notices.force_answered_notify(referral=locked, what="corrected the crime reference")
    return Referral.objects.get(pk=referral.pk)
