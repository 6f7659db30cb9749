"""Changing a password, oneself or by an admin: every other session of the account ends."""

import pytest
from django.test import Client
from django.urls import reverse

from hubsite.models import AuditEvent, SignedInSession
from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
CHANGE = reverse("password_change")
NEW_PASSWORD = "a-new-and-long-password-42"  # noqa: S105 - a test password
NEW_TWICE = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER])
def test_changing_ones_password_keeps_this_device_and_signs_out_the_others(role):
    person = UserFactory(role=role)
    here, there = Client(), Client()
    sign_in_verified(here, person)
    sign_in_verified(there, person)
    page = reverse("volunteers:dashboard") if role == Role.VOLUNTEER else reverse("triage:queue")

    response = here.post(CHANGE, {"old_password": TEST_PASSWORD, **NEW_TWICE}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("signed_in_devices")
    assert "Your password is changed." in response.content.decode()
    assert here.get(page).status_code == 200, "this device stays signed in, its second step kept"
    assert there.get(page)["Location"].startswith(reverse("two_factor:login"))
    [row] = SignedInSession.objects.filter(user=person)
    assert row.session_id == here.cookies["sessionid"].value, "this device is still listed, under its new key"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_SET, object_id=str(person.pk)).exists()


def test_a_wrong_current_password_is_refused_on_the_same_page(client):
    person = sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    response = client.post(CHANGE, {"old_password": "wrong", **NEW_TWICE})
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    ("usable_password", "saved"),
    [
        ("true", True),
        # "Disabled" chosen but the "set password" button pressed: Django says "Conflicting form data", saves nothing.
        ("false", False),
    ],
    ids=["set", "turned-back"],
)
def test_a_password_an_admin_sets_signs_its_owner_out_everywhere_and_one_not_saved_changes_nothing(
    client, usable_password, saved
):
    sign_in_verified(client, UserFactory(role=Role.ADMIN))
    volunteer = UserFactory(role=Role.VOLUNTEER)
    theirs = Client()
    sign_in_verified(theirs, volunteer)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[volunteer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": usable_password},
    )

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW_PASSWORD if saved else TEST_PASSWORD)
    assert SignedInSession.objects.filter(user=volunteer).exists() is not saved
    dashboard = theirs.get(reverse("volunteers:dashboard"))
    if saved:
        assert dashboard["Location"].startswith(reverse("two_factor:login"))
    else:
        assert dashboard.status_code == 200
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_SET, object_id=str(volunteer.pk))
    assert audited.exists() is saved
