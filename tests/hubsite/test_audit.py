"""The audit log: who saw or did what, when and from where; append-only; searchable by admins only."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hubsite.audit import audit_purge, audit_record
from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import login_wizard, sign_in_verified
from tests.factories import TEST_PASSWORD, ReportFactory, UserFactory
from triage import casework
from triage.models import Force, ForceLiaison, Offence
from volunteers.models import TrainingModule, TrainingRecord

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def entries(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_viewing_a_case_by_page_or_api_is_recorded_with_who_and_where(client, sign_in):
    officer = sign_in(Role.OFFICER)
    case = ReportFactory().case
    client.get(reverse("triage:case", args=[case.pk]), REMOTE_ADDR="203.0.113.7")
    client.get(reverse("api:case", args=[case.pk]), REMOTE_ADDR="203.0.113.8")
    page, api = entries(A.CASE_VIEWED)
    assert (page.actor, page.actor_label, page.address) == (officer, officer.username, "203.0.113.7")
    assert (page.object_type, page.object_id) == ("triage.case", str(case.pk))
    assert api.address == "203.0.113.8" and api.summary == "Through the API"
    assert timezone.now() - page.at < timedelta(minutes=1)


def test_a_refused_view_records_nothing(client, sign_in):
    sign_in(Role.VOLUNTEER)
    assert client.get(reverse("triage:case", args=[ReportFactory().case_id])).status_code == 403
    assert not AuditEvent.objects.filter(action=A.CASE_VIEWED).exists()


def test_decisions_referrals_and_every_view_or_export_of_a_referral_are_recorded(client):
    officer = UserFactory(role=Role.OFFICER)
    case = ReportFactory().case
    casework.case_claim(case=case, officer=officer)
    referral = casework.case_refer(
        case=case,
        officer=officer,
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Threat to a named person.",
    )
    assert [e.detail["kind"] for e in entries(A.CASE_DECISION)] == ["claimed"]
    (referred,) = entries(A.REFERRAL_STEP)
    assert referred.actor == officer and "Threat to a named person." in referred.summary
    liaison = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=liaison, force=referral.force)
    sign_in_verified(client, officer)
    client.get(reverse("triage:referral", args=[referral.pk]))
    client.get(reverse("triage:referral-json", args=[referral.pk]))
    sign_in_verified(client, liaison)
    client.get(reverse("liaison:referral", args=[referral.pk]))
    client.get(reverse("api:referral", args=[referral.pk]))
    client.post(reverse("liaison:referral-action", args=[referral.pk, "acknowledge"]))
    viewed = entries(A.REFERRAL_VIEWED)
    assert [(e.actor, e.summary) for e in viewed] == [
        (officer, "Printable package"),
        (liaison, "By the force"),
        (liaison, "Through the API"),
    ]
    (exported,) = entries(A.EXPORTED)
    assert exported.actor == officer and exported.object_id == str(referral.pk)
    assert entries(A.REFERRAL_STEP)[-1].actor == liaison


def test_statistics_and_training_exports_are_recorded(client, sign_in):
    officer = sign_in(Role.OFFICER)
    client.get(reverse("triage:stats-csv", args=["per-day"]))
    admin_user = sign_in(Role.ADMIN)
    client.post(reverse("admin:volunteers_trainingrecord_export"), {"format": "0", "resource": "0"})
    stats, training = entries(A.EXPORTED)
    assert stats.actor == officer and stats.summary.startswith("Statistics per-day")
    assert training.actor == admin_user and "training records as CSV" in training.summary


def test_role_changes_by_an_admin_are_recorded(client, sign_in):
    admin_user = sign_in(Role.ADMIN)
    person = UserFactory(role=Role.VOLUNTEER)
    form = client.get(reverse("admin:hubsite_user_change", args=[person.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        groups=[Group.objects.get(name=Role.OFFICER.value).pk],
        last_login_0="",
        last_login_1="",
        date_joined_0=timezone.localdate().isoformat(),
        date_joined_1="10:00:00",
        is_active="on",
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(reverse("admin:hubsite_user_change", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (changed,) = entries(A.ROLE_CHANGED)
    assert changed.actor == admin_user and changed.object_id == str(person.pk)
    assert changed.detail["added"] == ["officer"] and changed.detail["removed"] == ["volunteer"]


def test_training_record_changes_are_recorded_however_they_are_made(client, sign_in):
    from tests.volunteers.test_import_export import confirm, upload

    admin_user = sign_in(Role.ADMIN)
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False, username="amira")
    wellbeing = TrainingModule.objects.get(slug="wellbeing")
    client.post(
        reverse("admin:volunteers_trainingrecord_add"),
        {"volunteer": volunteer.pk, "module": wellbeing.pk, "completed_on": timezone.localdate().isoformat()},
    )
    record = TrainingRecord.objects.get(volunteer=volunteer, module=wellbeing)
    confirm(client, upload(client, f"volunteer,module,completed_on,score\namira,induction,{timezone.localdate()},\n"))
    from volunteers.services import training_session_record

    training_session_record(
        volunteers=[volunteer], module=TrainingModule.objects.get(slug="data-protection"),
        completed_on=timezone.localdate(), recorded_by=admin_user,
    )  # fmt: skip
    hows = [(e.actor, e.detail["how"]) for e in entries(A.TRAINING_CHANGED)]
    assert hows == [
        (admin_user, "recorded"),
        (admin_user, "imported from a file"),
        (admin_user, "recorded in a session"),
    ]
    assert entries(A.TRAINING_CHANGED)[0].object_id == str(record.pk)


def test_sign_ins_and_failed_attempts_are_recorded(client):
    person = UserFactory(role=Role.VOLUNTEER)
    client.post(reverse("two_factor:login"), login_wizard(person.username, "wrong"), REMOTE_ADDR="198.51.100.2")
    client.post(reverse("two_factor:login"), login_wizard(person.username, TEST_PASSWORD), REMOTE_ADDR="198.51.100.2")
    (failed,) = entries(A.SIGN_IN_FAILED)
    assert failed.address == "198.51.100.2" and person.username in failed.summary and failed.actor is None
    (signed_in,) = entries(A.SIGNED_IN)
    assert signed_in.actor == person


def test_entries_cannot_be_changed_or_deleted_through_the_hub():
    entry = audit_record(A.EXPORTED, summary="something")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=entry.pk).update(summary="else")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=entry.pk).summary == "something"


def test_postgresql_itself_refuses_changes_and_allows_only_the_purge_of_old_entries(postgresql, settings):
    from django.db import DatabaseError, transaction

    settings.AUDIT_RETENTION_DAYS = 30
    audit_record(A.EXPORTED, summary="long ago")
    with connection.cursor() as cursor:
        for statement in (
            "UPDATE hubsite_auditevent SET summary = 'rewritten'",
            "DELETE FROM hubsite_auditevent",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(statement)
        # Back-date one entry the only way possible: insert it so.
        cursor.execute(
            "INSERT INTO hubsite_auditevent (at, actor_label, action, object_type, object_id, summary, detail)"
            " VALUES (now() - interval '40 days', 'the Hub', 'export', '', '', 'very old', '{}')"
        )
    recent = audit_record(A.EXPORTED, summary="recent")
    assert audit_purge() == 1
    left = set(AuditEvent.objects.values_list("summary", flat=True))
    assert "very old" not in left and {"long ago", "recent"} <= left
    assert AuditEvent.objects.filter(action=A.AUDIT_PURGED, detail__removed=1).exists()
    assert recent.pk


def test_admins_search_and_filter_the_log_and_no_one_else_reaches_it(client, sign_in):
    audit_record(A.EXPORTED, summary="needle in the log")
    audit_record(A.CASE_VIEWED, summary="something else")
    sign_in(Role.ADMIN)
    changelist = reverse("admin:hubsite_auditevent_changelist")
    found = client.get(changelist, {"q": "needle"}).context["cl"].result_list
    assert [e.summary for e in found] == ["needle in the log"]
    filtered = client.get(changelist, {"action__exact": "case.viewed"}).context["cl"].result_list
    assert [e.summary for e in filtered] == ["something else"]
    assert client.get(reverse("admin:hubsite_auditevent_add")).status_code == 403
    entry = AuditEvent.objects.first()
    assert client.post(reverse("admin:hubsite_auditevent_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    for role in (Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER):
        sign_in(role)
        response = client.get(changelist)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"], role


def test_every_admin_addition_change_and_deletion_is_recorded(client, sign_in):
    admin_user = sign_in(Role.ADMIN)
    liaison = UserFactory(role=Role.LIAISON)
    west, north = Force.objects.get(slug="west-yorkshire-police"), Force.objects.get(slug="north-yorkshire-police")

    added = client.post(reverse("admin:triage_forceliaison_add"), {"user": liaison.pk, "force": west.pk})
    assert added.status_code == 302
    link = ForceLiaison.objects.get(user=liaison)
    changed = client.post(
        reverse("admin:triage_forceliaison_change", args=[link.pk]), {"user": liaison.pk, "force": north.pk}
    )
    assert changed.status_code == 302
    other = ForceLiaison.objects.create(user=UserFactory(role=Role.LIAISON), force=west)
    deleted = client.post(
        reverse("admin:triage_forceliaison_changelist"),
        {"action": "delete_selected", "_selected_action": [link.pk, other.pk], "post": "yes"},
    )
    assert deleted.status_code == 302 and not ForceLiaison.objects.exists()

    edits = entries(A.ADMIN_EDITED)
    assert [(e.object_type, e.detail["verb"]) for e in edits] == [
        ("triage.forceliaison", "added"),
        ("triage.forceliaison", "changed"),
        ("triage.forceliaison", "deleted"),
        ("triage.forceliaison", "deleted"),
    ]
    assert all(e.actor == admin_user and e.address == "127.0.0.1" for e in edits)
    assert edits[1].summary == f"Changed force liaison “{liaison} for North Yorkshire Police”: Changed Force."
    assert {e.object_id for e in edits[2:]} == {str(link.pk), str(other.pk)}, "each of a bulk deletion"
