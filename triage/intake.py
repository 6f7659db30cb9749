"""Intake: a volunteer's or partner's report stored and joined to its post's case, and a volunteer's reply to
a post logged against that case. Writes for reports and counter-speech: views and the API call these;
nothing else saves them. Each report joins its case in the transaction that stores it, so an officer sees it
at once whether or not it has been scored yet."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hubsite.models import PartnerOrganisation, User
from reports.evidence import Screenshot, evidence_digest
from reports.links import post_id, post_key, recognise
from reports.models import Category, CounterSpeech, Report
from reports.rules import report_check
from triage.casework import case_report_joined
from triage.models import Case, Force
from triage.tasks import scoring_enqueue
from volunteers.accreditation import standing_check


class DuplicateReport(Exception):
    """This person has already reported this post."""

    def __init__(self, existing: Report):
        super().__init__(f"already reported as report {existing.pk}")
        self.existing = existing


class SubmissionKeyReused(Exception):
    """The submission key already belongs to a report of a different post."""


@dataclass(frozen=True)
class Submission:
    report: Report
    created: bool  # False when a repeated submission returned the first report


def report_submit(
    *,
    reporter: User,
    captured_text: str,
    categories: Iterable[Category],
    post_url: str = "",
    platform: str = "",
    author_handle: str = "",
    notes: str = "",
    screenshot: Screenshot | None = None,
    captured_at: datetime | None = None,
    threat_of_violence: bool = False,
    incitement: bool = False,
    doxxing: bool = False,
    targets_individual: bool = False,
    target_is_child: bool = False,
    target_location: str = "",
    target_force: Force | None = None,
    poster_location: str = "",
    poster_force: Force | None = None,
    submission_key: uuid.UUID | None = None,
    partner_organisation: PartnerOrganisation | None = None,
) -> Submission:
    """Save a report, joining the case of the same post if there is one; score it once committed.

    A repeated ``submission_key`` from the same reporter (a double-click, a
    retried API call) returns the first report; the same key with a different
    post raises ``SubmissionKeyReused``. A second report of the same post by the
    same person raises ``DuplicateReport``. An empty ``platform`` is worked out
    from the URL. A report that breaks one of ``reports.rules`` (no visible
    text, too long, a link that is not a web address, no way to tell which post
    it is) raises ``ReportRuleError`` before anything is written, and so does a volunteer who is not active (an
    applicant waiting for approval, say) with ``StandingRefused``. ``partner_organisation`` is the organisation
    a partner sends the report for (the API gives it); it stays on the report whatever later happens to the
    account, and decides who at the partner may read the report.
    """
    standing_check(reporter, "reporting")
    report_check(post_url=post_url, platform=platform, author_handle=author_handle, captured_text=captured_text)
    categories = list(categories)
    normalised_url, recognised_platform = recognise(post_url) if post_url else ("", None)
    platform = platform or recognised_platform or "other"
    key = post_key(
        normalised_url=normalised_url, platform=platform, author_handle=author_handle, captured_text=captured_text
    )
    if submission_key is not None:
        earlier = Report.objects.filter(reporter=reporter, submission_key=submission_key).select_related("case").first()
        if earlier is not None:
            merged_here = Case.objects.filter(post_key=key, merged_into=earlier.case_id).exists()
            if earlier.case.post_key != key and not merged_here:
                raise SubmissionKeyReused(f"submission key already used for report {earlier.pk}")
            return Submission(earlier, created=False)
    captured_at = captured_at or timezone.now()
    stored_file = ""
    try:
        with transaction.atomic():
            case, case_created = Case.objects.get_or_create(post_key=key)
            if case.merged_into_id is not None:
                # Officers merged this post's case into another (triage/merging.py): its reports go there now.
                case = Case.objects.get(pk=case.merged_into_id)
            earlier = Report.objects.filter(reporter=reporter, case=case).first()
            if earlier is not None:
                if submission_key is not None and earlier.submission_key == submission_key:
                    return Submission(earlier, created=False)  # the same submission, a moment later
                raise DuplicateReport(earlier)
            report = Report(
                reporter=reporter,
                partner_organisation=partner_organisation,
                case=case,
                submission_key=submission_key,
                post_url=post_url,
                normalised_url=normalised_url,
                platform=platform,
                captured_text=captured_text,
                author_handle=author_handle,
                captured_at=captured_at,
                evidence_sha256=evidence_digest(
                    captured_text=captured_text,
                    normalised_url=normalised_url,
                    author_handle=author_handle,
                    captured_at=captured_at,
                    screenshot=screenshot.png if screenshot else b"",
                ),
                threat_of_violence=threat_of_violence,
                incitement=incitement,
                doxxing=doxxing,
                targets_individual=targets_individual,
                target_is_child=target_is_child,
                target_location=target_location,
                target_force=target_force,
                poster_location=poster_location,
                poster_force=poster_force,
                notes=notes,
            )
            if screenshot is not None:
                report.screenshot.save("screenshot.png", ContentFile(screenshot.png), save=False)
                stored_file = report.screenshot.name
            report.save()
            report.categories.add(*categories)
            case_report_joined(case=case, report=report)
            if case_created and normalised_url:
                _counter_speech_join(case=case, key=key, normalised_url=normalised_url)
            transaction.on_commit(partial(scoring_enqueue, report_pk=report.pk))
    except BaseException as error:
        if stored_file:  # the row was not saved: the file must not outlive it
            default_storage.delete(stored_file)
        if isinstance(error, IntegrityError):
            return _after_integrity_error(reporter=reporter, key=key, submission_key=submission_key)
        raise
    return Submission(report, created=True)


def _counter_speech_join(*, case: Case, key: str, normalised_url: str) -> None:
    """Replies volunteers logged before anyone reported the post join its case, through whichever link to it
    they gave."""
    found = post_id(normalised_url)
    # Narrowed in SQL to the replies whose link could be this post's (it holds the post id, or differs only in
    # case), then compared by key. Reddit's ids carry a kind prefix the link does not.
    could_be = (
        {"normalised_url__icontains": found[1].removeprefix("t1_").removeprefix("t3_")}
        if found
        else {"normalised_url__iexact": normalised_url}
    )
    waiting = CounterSpeech.objects.filter(case=None, **could_be).values_list("pk", "normalised_url")
    same_post = [
        pk
        for pk, link in waiting
        if post_key(normalised_url=link, platform="", author_handle="", captured_text="") == key
    ]
    if same_post:
        CounterSpeech.objects.filter(pk__in=same_post).update(case=case)


def _case_for(key: str) -> Case | None:
    """The case of the post with this key: the case it was merged into, if officers merged it."""
    case = Case.objects.filter(post_key=key).select_related("merged_into").first()
    return case.merged_into if case is not None and case.merged_into is not None else case


def _after_integrity_error(*, reporter: User, key: str, submission_key: uuid.UUID | None) -> Submission:
    """A concurrent submission of the same form or the same post got there first: say which.

    Called while the IntegrityError is being handled; re-raises it when neither explains it."""
    earlier = Report.objects.filter(Q(case__post_key=key) | Q(case__merged_cases__post_key=key), reporter=reporter)
    earlier = earlier.first()
    if earlier is None:
        if submission_key is not None and Report.objects.filter(reporter=reporter, submission_key=submission_key):
            raise SubmissionKeyReused("submission key already used for another post") from None
        raise
    if submission_key is not None and earlier.submission_key == submission_key:
        return Submission(earlier, created=False)
    raise DuplicateReport(earlier) from None


def counter_speech_log(
    *, volunteer: User, post_url: str, reply_url: str, replied_at: datetime, reply_text: str = ""
) -> CounterSpeech:
    """Record a volunteer's reply to a post, linked to the post's case when the Hub has one. A volunteer who is
    not active raises ``StandingRefused``."""
    standing_check(volunteer, "counter_speech")
    normalised_url, platform = recognise(post_url)
    key = post_key(normalised_url=normalised_url, platform=platform, author_handle="", captured_text="")
    return CounterSpeech.objects.create(
        volunteer=volunteer,
        case=_case_for(key),
        post_url=post_url,
        normalised_url=normalised_url,
        reply_url=reply_url,
        reply_text=reply_text,
        replied_at=replied_at,
    )
