"""Fill the database with a realistic load for the queue benchmark: many cases, reports, volunteers.

Refuses to run on a database that already holds reports unless --force, so it
is never pointed at live data by mistake. Shows progress as it goes.
"""

from __future__ import annotations

import hashlib
import random
import time
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from hubsite.models import User
from hubsite.roles import Role
from reports.models import SEVERITY_FLAGS, Category, Report
from reports.platforms import Platform
from triage.casework import case_priority_refresh
from triage.models import Case
from triage.search import case_search_refresh

BATCH = 5000
# Share of cases in each status: most are still open, as on a busy desk.
STATUS_WEIGHTS = {
    Case.Status.NEW: 55,
    Case.Status.INFO_REQUESTED: 5,
    Case.Status.REPORTED_TO_PLATFORM: 8,
    Case.Status.REMOVED_BY_PLATFORM: 7,
    Case.Status.REFERRED: 5,
    Case.Status.NO_ACTION: 8,
    Case.Status.DISMISSED: 12,
}
PLATFORMS = [value for value, _ in Platform.choices]
# Benchmark volunteers never sign in: Django treats a password starting with "!" as unusable.
UNUSABLE = "!bench"


class Command(BaseCommand):
    help = "Seed cases and reports for bench/queue. Example: manage.py seed_queue_bench --cases 100000 --reports 300000"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--reports", type=int, default=300_000)
        parser.add_argument("--volunteers", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--force", action="store_true", help="Seed even though the database holds reports.")

    def say(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {message}")
        self.stdout.flush()

    def handle(self, *args, cases: int, reports: int, volunteers: int, seed: int, force: bool, **options) -> None:
        if reports < cases:
            raise CommandError("--reports must be at least --cases: every case has a report.")
        if Report.objects.exists() and not force:
            raise CommandError("This database already holds reports. Seed a scratch database, or pass --force.")
        self.started = time.monotonic()
        rng = random.Random(seed)  # noqa: S311 (test data, repeatable by seed; nothing secret)
        now = timezone.now()
        people = self._volunteers(volunteers)
        case_rows = self._cases(rng, cases, now)
        self._reports(rng, case_rows, reports, people, now)
        self.say("working out every open case's priority...")
        began = time.monotonic()
        refreshed = case_priority_refresh(now=now)
        self.say(f"  {refreshed:,} priorities in {time.monotonic() - began:.1f} s")
        self.say("done")

    def _volunteers(self, count: int) -> list[int]:
        self.say(f"creating {count:,} volunteers")
        group = Group.objects.get(name=Role.VOLUNTEER.value)
        start = User.objects.count()
        users = User.objects.bulk_create(
            [User(username=f"bench-volunteer-{start + index}", password=UNUSABLE) for index in range(count)],
            batch_size=BATCH,
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users], batch_size=BATCH
        )
        return [user.pk for user in users]

    def _cases(self, rng: random.Random, count: int, now) -> list[Case]:
        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        made: list[Case] = []
        for start in range(0, count, BATCH):
            batch = []
            for index in range(start, min(start + BATCH, count)):
                created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
                status = rng.choices(statuses, weights)[0]
                batch.append(
                    Case(
                        post_key=hashlib.sha256(f"bench-case-{index}".encode()).hexdigest(),
                        status=status,
                        score=None if rng.random() < 0.02 else round(rng.betavariate(0.7, 1.6), 4),
                        platform=rng.choice(PLATFORMS),
                        status_changed_at=created,
                        platform_reported_at=created + timedelta(hours=2)
                        if status in (Case.Status.REPORTED_TO_PLATFORM, Case.Status.REMOVED_BY_PLATFORM)
                        else None,
                        **{flag: rng.random() < 0.04 for flag in SEVERITY_FLAGS},
                    )
                )
            with transaction.atomic():
                created_rows = Case.objects.bulk_create(batch)
            made.extend(created_rows)
            self.say(f"cases {len(made):,} / {count:,}")
        # created_at is set on insert; spread it over the last 60 days as a real desk's would be.
        self.say("spreading the cases over 60 days")
        Case.objects.filter(pk__in=[case.pk for case in made]).update(created_at=F("status_changed_at"))
        for case in made:
            case.created_at = case.status_changed_at
        return made

    def _reports(self, rng: random.Random, cases: list[Case], count: int, people: list[int], now) -> None:
        categories = list(Category.objects.values_list("pk", flat=True))
        # Every case has one report; the rest go to cases at random, as repeat reports of one post do.
        owners = [case for case in cases] + [rng.choice(cases) for _ in range(count - len(cases))]
        reporters_by_case: dict[int, set[int]] = {}  # one report per reporter per case
        written = 0
        for start in range(0, len(owners), BATCH):
            batch = []
            for case in owners[start : start + BATCH]:
                taken = reporters_by_case.setdefault(case.pk, set())
                reporter = rng.choice(people)
                while reporter in taken:
                    reporter = rng.choice(people)
                taken.add(reporter)
                text = f"Benchmark post {case.pk}: they are all the same, send them back"
                batch.append(
                    Report(
                        reporter_id=reporter,
                        case_id=case.pk,
                        post_url=f"https://x.com/bench/status/{case.pk}",
                        normalised_url=f"https://x.com/bench/status/{case.pk}",
                        platform=case.platform,
                        captured_text=text,
                        author_handle="@bench",
                        captured_at=case.created_at,
                        evidence_sha256=hashlib.sha256(text.encode()).hexdigest(),
                        score_status=Report.ScoreStatus.SCORED
                        if case.score is not None
                        else Report.ScoreStatus.PENDING,
                        score=case.score,
                        **{flag: getattr(case, flag) for flag in SEVERITY_FLAGS},
                    )
                )
            with transaction.atomic():
                saved = Report.objects.bulk_create(batch)
                tagged = [(report, rng.choice(categories)) for report in saved]
                Report.categories.through.objects.bulk_create(
                    [
                        Report.categories.through(report_id=report.pk, category_id=category)
                        for report, category in tagged
                    ]
                )
                # As a report joining its case does: the case keeps the categories its reporters tagged.
                Case.reported_categories.through.objects.bulk_create(
                    [
                        Case.reported_categories.through(case_id=report.case_id, category_id=category)
                        for report, category in tagged
                    ],
                    ignore_conflicts=True,
                )
                # As a report joining its case does: the case is found by its reports' words.
                case_search_refresh(case_ids={report.case_id for report in saved})
            written += len(saved)
            self.say(f"reports {written:,} / {count:,}")
        self.say("counting reporters per case")
        reporters = Report.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("pk")).values("n")
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(
            reporter_count=Subquery(reporters), last_reported_at=F("created_at")
        )
