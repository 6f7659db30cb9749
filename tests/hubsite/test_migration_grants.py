"""hubsite/migrations/_grants.py and the migrations that give roles their permissions.

The test database is built by running every migration from an empty database, so what the roles hold here
is what the migrations give them. The list below was taken from the migrations as they were before they
shared one helper, and must not change unless a new migration changes a role.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from hubsite.migrations._grants import model_grants, role_grants_add

pytestmark = pytest.mark.django_db

ROLE_PERMISSIONS_AFTER_MIGRATIONS = {
    "admin": {
        "auth.view_group",
        "axes.delete_accessattempt",
        "axes.view_accessattempt",
        "hubsite.add_partnerorganisation",
        "hubsite.add_partnertoken",
        "hubsite.change_partnerorganisation",
        "hubsite.change_partnertoken",
        "hubsite.view_partnerorganisation",
        "hubsite.view_partnertoken",
        "hubsite.add_user",
        "hubsite.change_user",
        "hubsite.view_auditevent",
        "hubsite.view_user",
        "otp_static.delete_staticdevice",
        "otp_static.view_staticdevice",
        "otp_totp.delete_totpdevice",
        "otp_totp.view_totpdevice",
        "reports.add_category",
        "reports.change_category",
        "reports.view_category",
        "reports.view_counterspeech",
        "reports.view_report",
        "triage.activate_classifierversion",
        "triage.add_classifiertraining",
        "triage.add_force",
        "triage.add_forceliaison",
        "triage.add_offence",
        "triage.change_force",
        "triage.change_forceliaison",
        "triage.change_offence",
        "triage.delete_forceliaison",
        "triage.view_case",
        "triage.view_caseevent",
        "triage.view_classifieractivation",
        "triage.view_classifiertraining",
        "triage.view_classifierversion",
        "triage.view_force",
        "triage.view_forceliaison",
        "triage.view_offence",
        "triage.view_referral",
        "triage.view_statistics",
        "volunteers.add_trainingmodule",
        "volunteers.add_trainingrecord",
        "volunteers.add_volunteerprofile",
        "volunteers.change_trainingmodule",
        "volunteers.change_trainingrecord",
        "volunteers.change_volunteerprofile",
        "volunteers.view_trainingmodule",
        "volunteers.view_trainingrecord",
        "volunteers.view_volunteerprofile",
    },
    "liaison": {"triage.liaise_for_force"},
    "officer": {"triage.view_statistics", "triage.work_queue"},
    "partner": {"reports.submit_report_via_api"},
    "volunteer": {"reports.log_counter_speech", "reports.submit_report"},
}

# The migrations whose reverse takes their grants back (0002 and 0003 delete the roles they created instead).
REVERSIBLE_GRANTS = [
    "0004_admins_view_classifier_activations",
    "0005_casework_permissions",
    "0006_admins_manage_volunteers",
    "0008_audit_log_append_only",
    "0010_admins_reset_sign_in_security",
    "0014_admins_retrain_and_activate_classifier",
    "0016_admins_issue_partner_tokens",
]


def role_permissions() -> dict[str, set[str]]:
    return {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }


def test_the_migrations_give_each_role_exactly_its_permissions():
    assert role_permissions() == ROLE_PERMISSIONS_AFTER_MIGRATIONS


@pytest.mark.parametrize("name", REVERSIBLE_GRANTS)
def test_unapplying_a_grant_takes_back_exactly_its_permissions_and_applying_it_again_restores_them(name):
    migration = import_module(f"hubsite.migrations.{name}")
    before = role_permissions()
    taken = {
        role: {f"{app_label}.{codename}" for app_label, _, codename, _ in grants}
        for role, grants in migration.GRANTS.items()
    }
    assert all(taken[role] <= before[role] for role in taken), "every grant is there after the migrations"

    migration.revoke(apps, None)
    assert role_permissions() == {role: held - taken.get(role, set()) for role, held in before.items()}

    migration.grant(apps, None)
    assert role_permissions() == before


def test_a_grant_creates_the_role_and_a_permission_not_made_yet():
    role_grants_add(apps, {"tester": [("triage", "case", "try_things", "Can try things")]})
    held = Group.objects.get(name="tester").permissions.get()
    assert (held.content_type.model, held.codename, held.name) == ("case", "try_things", "Can try things")


def test_model_grants_name_the_default_permissions_as_django_does():
    assert model_grants("volunteers", [("trainingmodule", "training module")], ("add", "view")) == [
        ("volunteers", "trainingmodule", "add_trainingmodule", "Can add training module"),
        ("volunteers", "trainingmodule", "view_trainingmodule", "Can view training module"),
    ]
