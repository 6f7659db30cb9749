"""One screen adds a volunteer: account, role, profile, first training record and an invitation by e-mail."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hubsite.models import AuditEvent, User
from hubsite.roles import Role
from tests.auth import login_wizard, sign_in_verified
from tests.factories import UserFactory
from volunteers import services
from volunteers.models import TrainingModule, TrainingRecord, VolunteerProfile
from volunteers.services import PseudonymTaken, TrainingDone, VolunteerAddError, volunteer_add

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAGE = "admin:volunteers_volunteerprofile_add_volunteer"
NEW_PASSWORD = "a-long-new-password-for-amira"  # noqa: S105 (test only)


def written() -> tuple[int, int, int]:
    return User.objects.count(), VolunteerProfile.objects.count(), TrainingRecord.objects.count()


# --- The service ------------------------------------------------------------------------------------------------


def test_the_service_makes_the_account_role_profile_and_training_together():
    admin_user = UserFactory(role=Role.ADMIN)
    induction = TrainingModule.objects.get(slug="induction")
    profile = volunteer_add(
        username="amira",
        email="amira@example.org",
        pseudonym="V-ABCDEF",
        languages="English, Arabic",
        platforms="x, tiktok",
        first_training=TrainingDone(module=induction, completed_on=TODAY - timedelta(days=2), score=None),
        added_by=admin_user,
    )
    user = profile.user
    assert user.username == "amira" and user.email == "amira@example.org" and user.is_active
    assert not user.has_usable_password(), "no password until they choose one"
    assert list(user.groups.values_list("name", flat=True)) == [Role.VOLUNTEER.value]
    assert not user.is_staff
    assert (profile.pseudonym, profile.languages, profile.platforms) == ("V-ABCDEF", "English, Arabic", "x, tiktok")
    assert profile.status == VolunteerProfile.Status.APPLICANT
    record = TrainingRecord.objects.get(volunteer=user)
    assert record.module == induction and record.passed and record.recorded_by == admin_user
    assert record.expires_on == induction.expiry_for(TODAY - timedelta(days=2))
    audited = AuditEvent.objects.filter(object_id__in=[str(user.pk), str(record.pk)]).values_list("action", "actor")
    assert set(audited) == {
        (AuditEvent.Action.ROLE_CHANGED, admin_user.pk),
        (AuditEvent.Action.TRAINING_CHANGED, admin_user.pk),
    }


def test_a_failure_part_way_writes_nothing(monkeypatch):
    admin_user = UserFactory(role=Role.ADMIN)
    before = written(), AuditEvent.objects.count()

    def training_refused(**kwargs):
        raise RuntimeError("the training record could not be saved")

    monkeypatch.setattr(services, "training_record_save", training_refused)
    with pytest.raises(RuntimeError):
        volunteer_add(
            username="amira",
            email="amira@example.org",
            pseudonym="V-ABCDEF",
            first_training=TrainingDone(module=TrainingModule.objects.get(slug="induction"), completed_on=TODAY),
            added_by=admin_user,
        )
    assert (written(), AuditEvent.objects.count()) == before


def test_a_pseudonym_taken_meanwhile_is_refused_with_nothing_written():
    VolunteerProfile.objects.filter(user=UserFactory(role=Role.VOLUNTEER)).update(pseudonym="V-ABCDEF")
    admin_user = UserFactory(role=Role.ADMIN)
    before = written()
    with pytest.raises(PseudonymTaken, match="V-ABCDEF was given to another volunteer"):
        volunteer_add(username="amira", email="amira@example.org", pseudonym="V-ABCDEF", added_by=admin_user)
    assert written() == before


def test_a_username_taken_meanwhile_is_refused_with_nothing_written():
    UserFactory(username="amira")
    admin_user = UserFactory(role=Role.ADMIN)
    before = written()
    with pytest.raises(VolunteerAddError) as refused:
        volunteer_add(username="amira", email="amira@example.org", pseudonym="V-ABCDEF", added_by=admin_user)
    assert refused.value.field == "username" and written() == before


def test_the_service_refuses_a_username_differing_only_in_capitals_with_nothing_written():
    UserFactory(username="Amira")
    admin_user = UserFactory(role=Role.ADMIN)
    before = written()
    with pytest.raises(VolunteerAddError, match="That username is taken") as refused:
        volunteer_add(username="amira", email="amira@example.org", pseudonym="V-ABCDEF", added_by=admin_user)
    assert refused.value.field == "username" and written() == before


def test_the_database_refuses_usernames_differing_only_in_capitals_however_made():
    from django.db import IntegrityError, transaction

    UserFactory(username="Amira")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="AMIRA", password=None)


def test_only_a_pseudonym_the_hub_could_draw_is_accepted():
    with pytest.raises(VolunteerAddError, match="one the Hub made up"):
        volunteer_add(
            username="amira", email="amira@example.org", pseudonym="Amira K", added_by=UserFactory(role=Role.ADMIN)
        )
    assert not User.objects.filter(username="amira").exists()


# --- The invitation ---------------------------------------------------------------------------------------------


def _link(body: str) -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", body).group(0)


def test_the_invitation_arrives_once_committed_and_its_link_sets_the_password(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.HUB_BASE_URL = "https://hub.example.police.uk"
    with django_capture_on_commit_callbacks() as queued:
        profile = volunteer_add(
            username="amira",
            email="amira@example.org",
            pseudonym="V-ABCDEF",
            send_invitation=True,
            added_by=UserFactory(role=Role.ADMIN),
        )
        assert smtp_server.messages == [], "nothing is sent before the volunteer is committed"
    assert len(queued) == 1
    for callback in queued:
        callback()

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "amira@example.org"
    assert message["Subject"] == "[Hub] Your Hub account"
    body = smtp_server.body(message)
    assert "Your username is amira" in body
    link = _link(body)
    assert link.startswith("https://hub.example.police.uk/accounts/invitation/")
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.INVITED, object_id=str(profile.user_id))
    assert audited.filter(summary__contains="Invitation to set a password e-mailed to amira").exists()

    # Following the link, the volunteer chooses a password and signs in with it.
    browser = Client()
    form_page = browser.get(link.removeprefix(settings.HUB_BASE_URL), follow=True)
    assert "Choose your password" in form_page.content.decode()
    saved = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302 and saved["Location"] == reverse("password_reset_complete")
    assert "Your password is set" in browser.get(saved["Location"]).content.decode()
    signed_in = browser.post(reverse("two_factor:login"), login_wizard("amira", NEW_PASSWORD))
    assert signed_in.status_code == 302 and int(browser.session["_auth_user_id"]) == profile.user_id

    # The link works once.
    again = Client().get(link.removeprefix(settings.HUB_BASE_URL), follow=True)
    assert "This link does not work any more" in again.content.decode()


# --- The page ---------------------------------------------------------------------------------------------------


def _form(response) -> dict:
    form = response.context["form"]
    return {"pseudonym_token": form["pseudonym_token"].value(), "pseudonym": form.pseudonym}


def _filled(token: str, **changes) -> dict:
    return {
        "username": "amira",
        "email": "amira@example.org",
        "pseudonym_token": token,
        "languages": "English, Arabic",
        "platforms": "x",
        "training_module": str(TrainingModule.objects.get(slug="induction").pk),
        "training_completed_on": TODAY.isoformat(),
        "training_score": "",
        "send_invitation": "on",
        **changes,
    }


def test_an_admin_adds_a_volunteer_with_the_pseudonym_shown(client, sign_in, django_capture_on_commit_callbacks):
    admin_user = sign_in(Role.ADMIN)
    page = client.get(reverse(PAGE))
    assert page.status_code == 200
    shown = _form(page)
    assert f'id="pseudonym">{shown["pseudonym"]}<' in page.content.decode()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse(PAGE), _filled(shown["pseudonym_token"]))
    profile = VolunteerProfile.objects.get(user__username="amira")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:volunteers_volunteerprofile_change", args=[profile.pk])
    assert profile.pseudonym == shown["pseudonym"], "the pseudonym shown is the one saved"
    assert TrainingRecord.objects.get(volunteer=profile.user).recorded_by == admin_user
    assert len(queued) == 1, "the invitation is queued after the commit"
    followed = client.get(response["Location"]).content.decode()
    assert f"Added {profile.pseudonym} (amira) as an applicant" in followed


def test_without_the_invitation_nothing_is_queued(client, sign_in, django_capture_on_commit_callbacks):
    sign_in(Role.ADMIN)
    token = _form(client.get(reverse(PAGE)))["pseudonym_token"]
    with django_capture_on_commit_callbacks() as queued:
        no_training = {"training_module": "", "training_completed_on": ""}
        response = client.post(reverse(PAGE), _filled(token, send_invitation="", **no_training))
    assert response.status_code == 302 and queued == []
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "This field is required."),
        ({"email": "amira-at-example"}, "Enter a valid email address."),
        ({"username": "amira khan"}, "Enter a valid username."),
        ({"training_completed_on": ""}, "Give the day they completed the module."),
        ({"training_module": "", "training_score": "80"}, "Choose the module they completed"),
        ({"training_completed_on": (TODAY + timedelta(days=1)).isoformat()}, "That day is in the future"),
        ({"training_score": "101"}, "less than or equal to 100"),
    ],
)
def test_bad_input_is_refused_on_the_same_page_keeping_it_and_writing_nothing(client, sign_in, changes, message):
    sign_in(Role.ADMIN)
    shown = _form(client.get(reverse(PAGE)))
    before = written()
    response = client.post(reverse(PAGE), _filled(shown["pseudonym_token"], languages="Urdu, Punjabi", **changes))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and "Nothing was saved" in body
    assert 'value="Urdu, Punjabi"' in body, "what was typed is kept"
    assert _form(response)["pseudonym"] == shown["pseudonym"], "and so is the pseudonym"
    assert written() == before


def test_a_username_already_held_is_refused_in_any_case(client, sign_in):
    UserFactory(username="Amira")
    sign_in(Role.ADMIN)
    token = _form(client.get(reverse(PAGE)))["pseudonym_token"]
    response = client.post(reverse(PAGE), _filled(token))
    assert "That username is taken: choose another." in response.content.decode()
    assert not VolunteerProfile.objects.filter(user__username="amira").exists()


def test_a_pseudonym_taken_while_the_form_was_open_is_replaced_and_said(client, sign_in):
    sign_in(Role.ADMIN)
    shown = _form(client.get(reverse(PAGE)))
    VolunteerProfile.objects.filter(pk=UserFactory(role=Role.VOLUNTEER).volunteer.pk).update(
        pseudonym=shown["pseudonym"]
    )
    before = written()
    refused = client.post(reverse(PAGE), _filled(shown["pseudonym_token"]))
    body = refused.content.decode()
    assert refused.status_code == 200 and written() == before
    assert f"The pseudonym {shown['pseudonym']} was given to another volunteer" in body
    redrawn = _form(refused)
    assert redrawn["pseudonym"] != shown["pseudonym"] and f'id="pseudonym">{redrawn["pseudonym"]}<' in body
    saved = client.post(reverse(PAGE), _filled(redrawn["pseudonym_token"]))
    assert saved.status_code == 302
    assert VolunteerProfile.objects.get(user__username="amira").pseudonym == redrawn["pseudonym"]


def test_a_pseudonym_not_drawn_by_the_hub_is_refused(client, sign_in):
    sign_in(Role.ADMIN)
    response = client.post(reverse(PAGE), _filled("V-AAAAAA:forged"))
    assert "could not be read back, so nothing was saved" in response.content.decode()
    assert not User.objects.filter(username="amira").exists()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER])
def test_other_roles_are_refused(client, sign_in, role):
    sign_in(role)
    for method in (client.get, client.post):
        response = method(reverse(PAGE))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert not VolunteerProfile.objects.exclude(user__groups__name=Role.VOLUNTEER.value).exists()


def test_anyone_signed_out_is_sent_to_sign_in(client):
    response = client.post(reverse(PAGE), {"username": "amira"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    assert not User.objects.filter(username="amira").exists()


def test_staff_without_the_permissions_to_add_people_get_403(client):
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=Role.OFFICER.value))
    sign_in_verified(client, staff)
    assert client.get(reverse(PAGE)).status_code == 403


def test_the_admin_index_and_the_volunteer_list_lead_to_the_page(client, sign_in):
    sign_in(Role.ADMIN)
    link = f'href="{reverse(PAGE)}"'
    assert link in client.get(reverse("admin:index")).content.decode()
    assert link in client.get(reverse("admin:volunteers_volunteerprofile_changelist")).content.decode()


def test_an_admin_invites_from_the_volunteer_list(client, sign_in, smtp_server, django_capture_on_commit_callbacks):
    waiting = _waiting_for_a_password(email="sam@example.org")
    no_address = UserFactory(role=Role.VOLUNTEER, email="")
    sign_in(Role.ADMIN)
    chosen = [waiting.volunteer.pk, no_address.volunteer.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:volunteers_volunteerprofile_changelist"),
            {"action": "send_invitation", "_selected_action": chosen},
            follow=True,
        )
    body = response.content.decode()
    assert "Invitations are on their way to 1 volunteer(s)." in body, body
    assert f"No invitation for {no_address.volunteer.pseudonym}: " in body and "has no e-mail address" in body
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "sam@example.org" and "/accounts/invitation/" in smtp_server.body(message)


def _waiting_for_a_password(**fields):
    volunteer = UserFactory(role=Role.VOLUNTEER, **fields)
    volunteer.set_unusable_password()
    volunteer.save()
    return volunteer


def _staff_with(client, *codenames: str):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["hubsite", "volunteers"], codename__in=codenames)
    )
    return sign_in_verified(client, staff)


def test_staff_who_may_not_change_accounts_cannot_send_invitations_from_the_volunteer_list(
    client, smtp_server, django_capture_on_commit_callbacks
):
    waiting = _waiting_for_a_password(email="sam@example.org")
    _staff_with(client, "view_volunteerprofile", "change_volunteerprofile")
    changelist = reverse("admin:volunteers_volunteerprofile_changelist")
    assert 'value="send_invitation"' not in client.get(changelist).content.decode()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(changelist, {"action": "send_invitation", "_selected_action": [waiting.volunteer.pk]})

    assert queued == [] and not AuditEvent.objects.filter(action=AuditEvent.Action.INVITED).exists()
    assert smtp_server.wait_for(1, timeout=1) == []


def test_staff_who_may_not_record_training_add_a_volunteer_but_not_their_training(client):
    _staff_with(client, "add_user", "add_volunteerprofile", "view_volunteerprofile")
    token = _form(client.get(reverse(PAGE)))["pseudonym_token"]
    before = written()

    refused = client.post(reverse(PAGE), _filled(token))

    assert refused.status_code == 200 and written() == before
    assert "You may not record training, so no training record can be saved" in refused.content.decode()
    no_training = {"training_module": "", "training_completed_on": ""}
    assert client.post(reverse(PAGE), _filled(token, **no_training)).status_code == 302
    assert not TrainingRecord.objects.exists() and User.objects.filter(username="amira").exists()
