"""Admins keep training records; personal details stay with admins."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from tests.auth import login_wizard, sign_in_verified
from tests.factories import ReportFactory, UserFactory, token_held_by, training_record
from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_an_admin_records_training_after_which_the_volunteer_may_report(client, sign_in):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    admin_user = sign_in(Role.ADMIN)
    response = client.post(
        reverse("admin:volunteers_trainingrecord_add"),
        {
            "volunteer": volunteer.pk,
            "module": TrainingModule.objects.get(slug="induction").pk,
            "completed_on": TODAY.isoformat(),
            "score": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    record = TrainingRecord.objects.get(volunteer=volunteer)
    assert record.recorded_by == admin_user and record.expires_on > TODAY
    client.force_login(volunteer)
    assert 'id="report-form"' in client.get(reverse("reports:new")).content.decode()


def test_volunteers_filter_by_expiring_expired_and_never_trained(client, sign_in):
    induction = TrainingModule.objects.get(slug="induction")
    expiring = UserFactory(role=Role.VOLUNTEER, trained=False)
    training_record(volunteer=expiring, module=induction, completed_on=TODAY - timedelta(days=720))
    expired = UserFactory(role=Role.VOLUNTEER, trained=False)
    training_record(volunteer=expired, module=induction, completed_on=TODAY - timedelta(days=900))
    never = UserFactory(role=Role.VOLUNTEER, trained=False)
    sign_in(Role.ADMIN)
    listed = {}
    for state in ("expiring", "expired", "never"):
        page = client.get(reverse("admin:volunteers_volunteerprofile_changelist"), {"training": state})
        listed[state] = {profile.user_id for profile in page.context["cl"].result_list}
    assert listed == {"expiring": {expiring.pk}, "expired": {expired.pk}, "never": {never.pk}}


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER])
def test_only_admins_reach_the_volunteer_records(client, sign_in, role):
    sign_in(role)
    for name in ("admin:volunteers_volunteerprofile_changelist", "admin:volunteers_trainingrecord_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_personal_details_never_reach_an_officer_a_force_or_the_api(client, sign_in):
    from triage import casework
    from triage.models import Force, ForceLiaison, Offence

    volunteer = UserFactory(role=Role.VOLUNTEER, email="amira.khan@example.org")
    VolunteerProfile.objects.filter(user=volunteer).update(
        full_name="Amira Khan", phone="07700 900123", notes="Prefers evening shifts"
    )
    report = ReportFactory(reporter=volunteer)
    officer = sign_in(Role.OFFICER)
    referral = casework.case_refer(
        case=report.case,
        officer=officer,
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Summary for Kent.",
    )
    seen_by_officers = [
        reverse("triage:queue"),
        reverse("triage:case", args=[report.case_id]),
        reverse("triage:referral", args=[referral.pk]),
        reverse("triage:referral-json", args=[referral.pk]),
        reverse("api:queue") + "?status=referred",
        reverse("api:cases"),
        reverse("api:case", args=[report.case_id]),
        reverse("api:referral", args=[referral.pk]),
    ]
    liaison = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=liaison, force=referral.force)
    seen_by_forces = [
        reverse("liaison:referral", args=[referral.pk]),
        reverse("liaison:package-json", args=[referral.pk]),
    ]
    for who, urls in ((officer, seen_by_officers), (liaison, seen_by_forces)):
        sign_in_verified(client, who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            for private in ("Amira", "07700", "evening shifts", "amira.khan@", volunteer.username):
                assert private not in body, (url, private)
    assert volunteer.volunteer.pseudonym in client.get(seen_by_forces[0]).content.decode()


def test_a_suspended_volunteer_can_neither_sign_in_nor_report_by_form_or_api(client, sign_in):
    from rest_framework.test import APIClient

    from tests.factories import TEST_PASSWORD

    volunteer = UserFactory(role=Role.VOLUNTEER)
    token = token_held_by(volunteer)
    sign_in(Role.ADMIN)
    profile = volunteer.volunteer
    response = client.post(
        reverse("admin:volunteers_volunteerprofile_changelist"), {"action": "suspend", "_selected_action": [profile.pk]}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    volunteer.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.SUSPENDED and not volunteer.is_active
    client.logout()
    refused = client.post(reverse("two_factor:login"), login_wizard(volunteer.username, TEST_PASSWORD))
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert client.get(reverse("reports:new")).status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post(reverse("api:reports"), {"captured_text": "x"}, format="json").status_code in (401, 403)


def test_one_session_is_recorded_for_many_volunteers_at_once(client, sign_in):
    people = [UserFactory(role=Role.VOLUNTEER, trained=False) for _ in range(3)]
    profiles = [person.volunteer for person in people]
    admin_user = sign_in(Role.ADMIN)
    changelist = reverse("admin:volunteers_volunteerprofile_changelist")
    chosen = {"action": "record_session", "_selected_action": [profile.pk for profile in profiles[:2]]}
    asked = client.post(changelist, chosen)
    assert asked.status_code == 200 and "Record the session" in asked.content.decode()
    wellbeing = TrainingModule.objects.get(slug="wellbeing")
    missing_date = client.post(changelist, {**chosen, "apply": "1", "module": wellbeing.pk})
    assert "This field is required" in missing_date.content.decode()
    assert not TrainingRecord.objects.exists()
    done = client.post(changelist, {**chosen, "apply": "1", "module": wellbeing.pk, "completed_on": TODAY.isoformat()})
    assert done.status_code == 302
    recorded = TrainingRecord.objects.filter(module=wellbeing)
    assert {record.volunteer_id for record in recorded} == {people[0].pk, people[1].pk}
    assert all(record.recorded_by == admin_user for record in recorded)


def test_the_profile_admin_offers_only_volunteer_accounts_without_a_profile(client, sign_in):
    from hubsite.models import User

    waiting = User.objects.create_user(username="new-volunteer", password=None)
    from django.contrib.auth.models import Group

    waiting.groups.add(Group.objects.get(name=Role.VOLUNTEER.value))
    has_profile = UserFactory(role=Role.VOLUNTEER)
    officer = UserFactory(role=Role.OFFICER)
    sign_in(Role.ADMIN)
    page = client.get(reverse("admin:volunteers_volunteerprofile_add"))
    offered = {user.pk for user in page.context["adminform"].form.fields["user"].queryset}
    assert waiting.pk in offered
    assert has_profile.pk not in offered and officer.pk not in offered


def test_the_pseudonym_shown_before_saving_is_the_one_saved(client, sign_in):
    from django.contrib.auth.models import Group

    from hubsite.models import User

    waiting = User.objects.create_user(username="new-volunteer", password=None)
    waiting.groups.add(Group.objects.get(name=Role.VOLUNTEER.value))
    sign_in(Role.ADMIN)
    page = client.get(reverse("admin:volunteers_volunteerprofile_add"))
    shown = page.context["adminform"].form["pseudonym"].value()
    assert shown and f'value="{shown}"' in page.content.decode() and "readonly" in page.content.decode()
    sent = {"user": waiting.pk, "pseudonym": shown, "joined_on": TODAY.isoformat(), "status": "applicant"}
    saved = client.post(reverse("admin:volunteers_volunteerprofile_add"), sent)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert VolunteerProfile.objects.get(user=waiting).pseudonym == shown

    tampered = client.post(reverse("admin:volunteers_volunteerprofile_add"), {**sent, "pseudonym": "Alice Smith"})
    assert tampered.status_code == 200 and "must be one the Hub made up" in tampered.content.decode()
