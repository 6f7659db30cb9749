"""Merging two cases that are one post (two links the duplicate key could not tell apart) or one incident.

The merged case's reports move to the surviving case, and its counter-speech and its questions to the
volunteers follow them; the surviving case's counts, flags, categories, score and priority are worked out again
from the reports it now holds. The merged case is closed as merged, with a pointer to the survivor, and later
reports of its post join the survivor. Both timelines say so, and the audit log records it.

Refused, with the reason and nothing changed: merging a case into itself, into a closed or merged case, a case
that is itself closed (its decision rests on its reports, and a force may hold them), a case waiting for the
platform's answer (its 24-hour clock would be lost: record the answer, or merge the other way), and a case
another officer is working on, as every other decision is.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from hubsite.audit import audit_record
from hubsite.models import AuditEvent, User
from reports.models import SEVERITY_FLAGS, CounterSpeech, Report
from triage.casework import STATUS_COUNTS_CACHE_KEY, CaseHeldByAnother, CaseWorkError, case_priority_refresh
from triage.models import Case, CaseEvent, InfoRequest
from triage.search import case_search_refresh

# What the volunteers whose report stays on the merged case read on My reports (see ``case_merge``).
KEPT_REPORT_NOTE = (
    "You reported this post twice, through two different links. Officers are following it through your other report."
)


def case_merge_check(*, case: Case, into: Case, officer: User) -> None:
    """Raise ``CaseWorkError`` saying why ``case`` cannot be merged into ``into`` by this officer, if it cannot.

    ``case_merge`` asks again with both rows locked; a page may ask first, to refuse before the confirmation.
    """
    if case.pk == into.pk:
        raise CaseWorkError("A case cannot be merged into itself: give the number of the other case.")
    if case.merged_into_id is not None:
        raise CaseWorkError(f"Case {case.pk} has already been merged into case {case.merged_into_id}.")
    if into.merged_into_id is not None:
        raise CaseWorkError(
            f"Case {into.pk} was merged into case {into.merged_into_id}: merge into case {into.merged_into_id} instead."
        )
    if not into.is_open:
        raise CaseWorkError(
            f"Case {into.pk} is closed ({into.get_status_display().lower()}): a case can only be merged into an "
            "open case."
        )
    if not case.is_open:
        raise CaseWorkError(
            f"Case {case.pk} is closed ({case.get_status_display().lower()}): only an open case can be merged, "
            "since its decision rests on its reports."
        )
    if case.claimed_by_id is not None and case.claimed_by_id != officer.pk:
        raise CaseHeldByAnother(User.objects.get(pk=case.claimed_by_id))
    if into.claimed_by_id is not None and into.claimed_by_id != officer.pk:
        holder = User.objects.get(pk=into.claimed_by_id)
        raise CaseWorkError(
            f"{holder.get_username()} is working on case {into.pk}: they can merge this case into it, or release it."
        )
    if case.platform_reported_at is not None and not case.platform_outcome:
        raise CaseWorkError(
            f"Case {case.pk} is waiting for the platform's answer: record it first, or merge case {into.pk} into "
            f"case {case.pk} instead."
        )
    if case.referrals.exists():
        raise CaseWorkError(f"Case {case.pk} has been referred to a force: its evidence stays with the referral.")


def case_merge(*, case: Case, into: Case, officer: User, reason: str) -> Case:
    """Merge ``case`` into ``into`` (see the module's docstring), in one transaction. Returns the surviving case.

    Both rows are locked in the order of their ids, so two officers merging the same pair opposite ways wait
    for each other instead of deadlocking, and the second is refused: the first has closed one of them.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CaseWorkError("Give a reason for merging the cases.")
    if case.pk == into.pk:
        raise CaseWorkError("A case cannot be merged into itself: give the number of the other case.")
    now = timezone.now()
    with transaction.atomic():
        both = Case.objects.select_for_update().filter(pk__in=[case.pk, into.pk]).order_by("pk")
        locked = {found.pk: found for found in both}
        source, survivor = locked[case.pk], locked[into.pk]
        case_merge_check(case=source, into=survivor, officer=officer)

        # One report per volunteer per case: a volunteer who reported both keeps their second report here.
        already = Report.objects.filter(case=survivor).values("reporter_id")
        kept = list(
            Report.objects.filter(case=source, reporter_id__in=already).order_by("pk").values_list("pk", flat=True)
        )
        moved = list(
            Report.objects.filter(case=source).exclude(pk__in=kept).order_by("pk").values_list("pk", flat=True)
        )
        Report.objects.filter(pk__in=moved).update(case=survivor)
        replies = CounterSpeech.objects.filter(case=source).update(case=survivor)
        # Questions were asked of the reporters, who now follow their reports: they still see and answer them.
        questions = InfoRequest.objects.filter(case=source).update(case=survivor)
        # Cases merged into this one earlier point at the survivor too, so every pointer is one step.
        Case.objects.filter(merged_into=source).update(merged_into=survivor)

        closing = {"status": Case.Status.MERGED, "status_changed_at": now, "merged_into": survivor}
        if kept:
            closing["note_for_volunteers"] = KEPT_REPORT_NOTE
        if source.first_decision_at is None:
            closing["first_decision_at"] = now
        Case.objects.filter(pk=source.pk).update(**closing)
        Case.objects.filter(pk=survivor.pk, platform="").update(platform=source.platform)
        for case_id in (source.pk, survivor.pk):
            _recount(case_id)

        what = _what_moved(moved=moved, replies=replies, questions=questions)
        stays = (
            f" {_numbered('Report', kept)} stayed here: the volunteer had already reported case {survivor.pk}."
            if kept
            else ""
        )
        CaseEvent.objects.create(
            case=source,
            kind=CaseEvent.Kind.MERGED_INTO,
            actor=officer,
            created_at=now,
            note=f"Merged into case {survivor.pk}. {what}{stays} Reason: {reason}",
        )
        CaseEvent.objects.create(
            case=survivor,
            kind=CaseEvent.Kind.MERGED,
            actor=officer,
            created_at=now,
            note=f"Case {source.pk} was merged into this case. {what} Reason: {reason}",
        )
        audit_record(
            AuditEvent.Action.CASE_MERGED,
            target=source,
            actor=officer,
            summary=f"Case {source.pk} merged into case {survivor.pk}: {reason}",
            into=survivor.pk,
            reports_moved=moved,
            reports_kept=kept,
            counter_speech_moved=replies,
            questions_moved=questions,
        )
        case_priority_refresh(case_ids=[source.pk, survivor.pk], now=now)
        case_search_refresh(case_ids=[source.pk, survivor.pk])
        transaction.on_commit(lambda: cache.delete(STATUS_COUNTS_CACHE_KEY))
    return Case.objects.get(pk=survivor.pk)


def _recount(case_id: int) -> None:
    """Work out what the case keeps from its reports again, from the reports it now holds."""
    facts = Report.objects.filter(case_id=case_id).aggregate(
        reporters=Count("reporter_id", distinct=True),
        last=Max("created_at"),
        score=Max("score"),
        **{flag: Count("pk", filter=Q(**{flag: True})) for flag in SEVERITY_FLAGS},
    )
    Case.objects.filter(pk=case_id).update(
        reporter_count=facts["reporters"],
        last_reported_at=facts["last"],
        score=facts["score"],
        **{flag: facts[flag] > 0 for flag in SEVERITY_FLAGS},
    )
    tags = Case.reported_categories.through
    tags.objects.filter(case_id=case_id).delete()
    categories = (
        Report.categories.through.objects.filter(report__case_id=case_id)
        .values_list("category_id", flat=True)
        .distinct()
    )
    tags.objects.bulk_create([tags(case_id=case_id, category_id=category_id) for category_id in categories])


def _numbered(noun: str, pks: list[int]) -> str:
    return f"{noun}{'s' if len(pks) > 1 else ''} {', '.join(str(pk) for pk in pks)}"


def _what_moved(*, moved: list[int], replies: int, questions: int) -> str:
    parts = [_numbered("report", moved) if moved else "no report"]
    if replies:
        parts.append(f"{replies} counter-speech repl{'ies' if replies > 1 else 'y'}")
    if questions:
        parts.append(f"{questions} question{'s' if questions > 1 else ''} to the volunteers")
    return "Moved: " + ", ".join(parts) + "."
