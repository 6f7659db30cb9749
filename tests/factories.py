from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from hubsite.models import PartnerOrganisation, PartnerToken, User
from hubsite.partner_tokens import PREFIX_LENGTH, TOKEN_START, partner_token_issue, token_digest
from hubsite.roles import Role
from reports.evidence import evidence_digest
from reports.models import Category, Report
from triage.casework import case_report_joined
from triage.models import Case
from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile
from volunteers.services import training_record_save

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test accounts only)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@hub.example")
    password = factory.django.Password(TEST_PASSWORD)

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        role: Role | None = None,
        trained: bool = True,
        status: str = VolunteerProfile.Status.ACTIVE,
        **kwargs,
    ):
        if role == Role.PARTNER and "partner_organisation" not in kwargs:
            # Each partner in an organisation of their own unless told; pass partner_organisation to share one.
            kwargs["partner_organisation"] = PartnerOrganisationFactory()
        user = super()._create(model_class, *args, **kwargs)
        if role is not None:
            user.groups.add(Group.objects.get(name=Role(role).value))
            if role == Role.VOLUNTEER:
                # An active volunteer with a current induction and counter-speech module, as most tests need;
                # trained=False for one with neither, status=APPLICANT for one not approved yet.
                VolunteerProfile.objects.create(user=user, status=status)
            if role == Role.VOLUNTEER and trained:
                # Stored as passes a month old, as the Hub keeps them, without an entry in the audit log that
                # tests of the log would have to step around.
                a_month_ago = timezone.localdate() - timedelta(days=30)
                for module in TrainingModule.objects.filter(slug__in=["induction", "counter-speech"]):
                    TrainingRecord.objects.create(
                        volunteer=user,
                        module=module,
                        completed_on=a_month_ago,
                        passed=True,
                        expires_on=module.expiry_for(a_month_ago),
                    )
            if role == Role.ADMIN:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        return user


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Community Group {n}")


def partner_token(user: User | None = None, *, name: str = "Case system") -> str:
    """A token issued to ``user`` (a new partner if none) as the admin issues one; the token itself."""
    user = user or UserFactory(role=Role.PARTNER)
    return partner_token_issue(name=name, user=user, by=None).secret


def token_held_by(user: User) -> str:
    """A token for any account, stored directly: as if issued to a partner whose role changed since."""
    secret = TOKEN_START + secrets.token_urlsafe(32)
    PartnerToken.objects.create(
        name="Old token", user=user, prefix=secret[:PREFIX_LENGTH], secret_sha256=token_digest(secret)
    )
    return secret


def training_record(*, volunteer, module, completed_on, score=None) -> TrainingRecord:
    """A training record as the Hub stores one: through the service that works out whether it passed and when
    it expires."""
    record = TrainingRecord(volunteer=volunteer, module=module, completed_on=completed_on, score=score)
    return training_record_save(record=record, by=None, how="recorded")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    post_key = factory.Sequence(lambda n: f"{n:064x}")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report
        skip_postgeneration_save = True

    reporter = factory.SubFactory(UserFactory, role=Role.VOLUNTEER)
    # As the API stores it: a partner's report is sent for the account's organisation; a volunteer's for none.
    partner_organisation = factory.LazyAttribute(
        lambda report: None if hasattr(report.reporter, "volunteer") else report.reporter.partner_organisation
    )
    case = factory.SubFactory(CaseFactory)
    post_url = factory.Sequence(lambda n: f"https://x.com/someone/status/{1000 + n}")
    normalised_url = factory.LazyAttribute(lambda report: report.post_url)
    platform = "x"
    captured_text = factory.Sequence(lambda n: f"Example post number {n}")
    author_handle = "@someone"
    captured_at = factory.LazyFunction(timezone.now)
    evidence_sha256 = factory.LazyAttribute(
        lambda report: evidence_digest(
            captured_text=report.captured_text,
            normalised_url=report.normalised_url,
            author_handle=report.author_handle,
            captured_at=report.captured_at,
        )
    )

    @factory.post_generation
    def categories(report, create, extracted, **kwargs):
        if create:
            report.categories.set(extracted or [Category.objects.get(slug="race")])

    @factory.post_generation
    def joined(report, create, extracted, **kwargs):
        # As report_submit does: the case counts the reporter, takes the flags, notes it on the timeline.
        if create:
            case_report_joined(case=report.case, report=report)


def report_form_data(**changes) -> dict:
    """What a volunteer sends from the report form, filled in as they would, with ``changes`` over it; each call
    carries a new submission key, as each new copy of the form does."""
    return {
        "submission_key": str(uuid.uuid4()),
        "post_url": "https://www.facebook.com/groups/1/posts/2",
        "platform": "",
        "captured_text": "They are vermin and should be thrown out.",
        "author_handle": "@poster",
        "categories": [str(Category.objects.get(slug="race").pk), str(Category.objects.get(slug="anti-muslim").pk)],
        "notes": "Still up at 10am.",
        **changes,
    }
