"""Demo accounts and a few reports, for trying the Hub on a laptop. Safe to run twice."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hubsite.models import PartnerOrganisation, User
from hubsite.roles import Role
from reports.models import Category, Report
from triage.casework import case_refer, case_request_info
from triage.intake import report_submit
from triage.models import Force, ForceLiaison, Offence
from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile
from volunteers.services import training_record_save, user_create

# The demo liaison user answers referrals for this force.
DEMO_FORCE = "west-yorkshire-police"
# The demo partner user sends reports for this organisation.
DEMO_ORGANISATION = "Community Voices (demo)"

DEMO_REPORTS = [
    (
        "https://x.com/example_account/status/1850000000000000001",
        "People like them are vermin and should be driven out of this country.",
        "@example_account",
        ["race"],
    ),
    (
        "https://www.facebook.com/groups/localnews/posts/1234567890",
        "Lovely to see the mosque open its doors to everyone for the community iftar tonight.",
        "Local News Group",
        ["anti-muslim"],
    ),
    (
        "https://www.reddit.com/r/unitedkingdom/comments/abc123/comment/def456/",
        "Someone should teach those disabled scroungers a lesson they will not forget.",
        "u/throwaway_4471",
        ["disability"],
    ),
    (
        "https://www.tiktok.com/@someone/video/7400000000000000000",
        "Trans people deserve respect and safety like anyone else.",
        "@someone",
        ["transgender"],
    ),
]


class Command(BaseCommand):
    help = "Create the demo users volunteer, officer, liaison and admin (password from DEMO_PASSWORD) and demo reports."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (it sets the demo users' passwords)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates demo accounts with a known password and is meant for local use: "
                "run it with DJANGO_DEBUG=true (as `make run` does), or pass --force."
            )
        password = os.environ.get("DEMO_PASSWORD", "")
        if len(password) < 10:
            raise CommandError(
                "Set DEMO_PASSWORD to the demo users' password (10 characters or more), "
                "e.g. DEMO_PASSWORD=choose-a-long-one."
            )
        for role in Role:
            user = User.objects.filter(username=role.value).first()
            if user is None:
                user_create(username=role.value, password=password, role=role, email=f"{role.value}@hub.example")
                self.stdout.write(f"Created demo user {role.value}")
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write(f"Demo user {role.value} exists; password reset to DEMO_PASSWORD")

        liaison = User.objects.get(username=Role.LIAISON.value)
        _, linked = ForceLiaison.objects.get_or_create(
            user=liaison, defaults={"force": Force.objects.get(slug=DEMO_FORCE)}
        )
        if linked:
            self.stdout.write(f"Demo user liaison answers for {DEMO_FORCE}")

        partner = User.objects.get(username=Role.PARTNER.value)
        if partner.partner_organisation_id is None:
            partner.partner_organisation, _ = PartnerOrganisation.objects.get_or_create(name=DEMO_ORGANISATION)
            partner.save(update_fields=["partner_organisation"])
            self.stdout.write(f"Demo user partner sends reports for {DEMO_ORGANISATION}")

        volunteer = User.objects.get(username=Role.VOLUNTEER.value)
        VolunteerProfile.objects.filter(user=volunteer).update(status=VolunteerProfile.Status.ACTIVE)
        for slug, unlocks in (("induction", "report posts"), ("counter-speech", "log counter-speech")):
            module = TrainingModule.objects.get(slug=slug)
            if not TrainingRecord.objects.filter(volunteer=volunteer, module=module).exists():
                training_record_save(
                    record=TrainingRecord(volunteer=volunteer, module=module, completed_on=timezone.localdate()),
                    by=None,
                    how="recorded for the demo",
                )
                self.stdout.write(f"Demo user volunteer has passed {slug}, so may {unlocks}")
        if Report.objects.filter(reporter=volunteer).exists():
            self.stdout.write("Demo reports exist; none added.")
            return
        submitted = []
        for index, (url, text, handle, slugs) in enumerate(DEMO_REPORTS, start=1):
            submitted.append(
                report_submit(
                    reporter=volunteer,
                    post_url=url,
                    captured_text=text,
                    author_handle=handle,
                    categories=Category.objects.filter(slug__in=slugs),
                ).report
            )
            self.stdout.write(f"[{index}/{len(DEMO_REPORTS)}] demo report added")
        # The partner reports one of the same posts, so officers see a case with a volunteer and a partner.
        url, text, handle, slugs = DEMO_REPORTS[0]
        report_submit(
            reporter=partner,
            partner_organisation=partner.partner_organisation,
            post_url=url,
            captured_text=text,
            author_handle=handle,
            categories=Category.objects.filter(slug__in=slugs),
        )
        self.stdout.write(f"Demo partner report added for {partner.partner_organisation}")
        # Some case work, so each demo user has a notification to read: a question for the volunteer, and a
        # referral for the liaison (the volunteer is told of that decision too).
        officer = User.objects.get(username=Role.OFFICER.value)
        case_request_info(
            case=submitted[0].case, officer=officer, question="Was the post still up when you last looked?"
        )
        case_refer(
            case=submitted[2].case,
            officer=officer,
            force=Force.objects.get(slug=DEMO_FORCE),
            offences=Offence.objects.filter(is_active=True)[:1],
            summary="A call to harm disabled people, posted publicly.",
        )
        self.stdout.write("Demo case work added: a question for the volunteer and a referral for the liaison")
