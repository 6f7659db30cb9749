"""volunteers/migrations/0003: applicants who could report before the standing rule are made active."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile

migration = import_module("volunteers.migrations.0003_volunteers_who_could_report_are_active")
APPLICANT, ACTIVE, SUSPENDED = (
    VolunteerProfile.Status.APPLICANT,
    VolunteerProfile.Status.ACTIVE,
    VolunteerProfile.Status.SUSPENDED,
)


@pytest.mark.django_db
def test_trained_or_reporting_applicants_become_active_and_no_one_else_changes():
    trained = UserFactory(role=Role.VOLUNTEER, status=APPLICANT)
    reported = UserFactory(role=Role.VOLUNTEER, status=APPLICANT, trained=False)
    ReportFactory(reporter=reported)
    newcomer = UserFactory(role=Role.VOLUNTEER, status=APPLICANT, trained=False)
    failed = UserFactory(role=Role.VOLUNTEER, status=APPLICANT, trained=False)
    TrainingRecord.objects.create(
        volunteer=failed, module=TrainingModule.objects.get(slug="induction"), completed_on=date.today(), passed=False
    )
    suspended = UserFactory(role=Role.VOLUNTEER, status=SUSPENDED)

    migration.activate(apps, None)

    status = dict(VolunteerProfile.objects.values_list("user_id", "status"))
    assert status[trained.pk] == ACTIVE and status[reported.pk] == ACTIVE
    assert status[newcomer.pk] == APPLICANT, "nothing shows they could report: an admin decides"
    assert status[failed.pk] == APPLICANT, "a failed induction never let anyone report"
    assert status[suspended.pk] == SUSPENDED
