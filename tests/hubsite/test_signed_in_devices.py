"""Signed-in devices: a person sees only their own sessions, and signs out the others, or one of them."""

import pytest
from django.test import Client
from django.urls import reverse

from hubsite.models import AuditEvent, SignedInSession
from hubsite.roles import Role
from hubsite.signed_in import describe_device
from tests.auth import login_wizard, sign_in_verified
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
DEVICES = reverse("signed_in_devices")
OTHERS = reverse("sign_out_other_devices")
PHONE_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:130.0) Gecko/130.0 Firefox/130.0"
DESKTOP_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
)


def signed_in_client(user, **headers) -> Client:
    """A browser signed in as ``user`` (both steps); its row says the browser the headers name, as a sign-in
    through the pages would have recorded."""
    browser = Client(**headers)
    sign_in_verified(browser, user)
    SignedInSession.objects.filter(session_id=browser.cookies["sessionid"].value).update(
        user_agent=headers.get("HTTP_USER_AGENT", ""), address=headers.get("REMOTE_ADDR", "127.0.0.1")
    )
    return browser


def test_signing_in_records_the_browser_and_the_address():
    volunteer = UserFactory(role=Role.VOLUNTEER)
    browser = Client(HTTP_USER_AGENT=PHONE_FIREFOX, REMOTE_ADDR="192.0.2.7")
    browser.post(reverse("two_factor:login"), login_wizard(volunteer.username, TEST_PASSWORD))

    row = SignedInSession.objects.get(user=volunteer)
    assert (row.user_agent, row.address) == (PHONE_FIREFOX, "192.0.2.7")
    assert row.session_id == browser.cookies["sessionid"].value
    assert "Firefox on Android" in browser.get(DEVICES).content.decode()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.ADMIN, Role.PARTNER])
def test_each_person_sees_their_own_devices_only(role):
    person, someone_else = UserFactory(role=role), UserFactory(role=role)
    here = signed_in_client(person, HTTP_USER_AGENT=DESKTOP_CHROME)
    signed_in_client(person, HTTP_USER_AGENT=PHONE_FIREFOX, REMOTE_ADDR="198.51.100.4")
    signed_in_client(someone_else, HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Safari/604.1")

    page = here.get(DEVICES)

    assert page.status_code == 200
    content = page.content.decode()
    assert content.count('class="list-group-item') == 2
    assert "This device" in content
    assert "Chrome on Windows" in content and "Firefox on Android" in content and "198.51.100.4" in content
    assert "Safari on an iPhone" not in content


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(DEVICES), client.post(OTHERS), client.post(reverse("sign_out_device", args=[1]))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor:login"))


def test_signing_out_the_other_devices_ends_their_sessions_only():
    volunteer, neighbour = UserFactory(role=Role.VOLUNTEER), UserFactory(role=Role.VOLUNTEER)
    here, there = signed_in_client(volunteer), signed_in_client(volunteer)
    next_door = signed_in_client(neighbour)
    dashboard = reverse("volunteers:dashboard")
    assert there.get(dashboard).status_code == 200

    response = here.post(OTHERS, follow=True)

    assert "Signed out of 1 other device." in response.content.decode()
    assert here.get(dashboard).status_code == 200, "this device stays signed in"
    assert there.get(dashboard)["Location"].startswith(reverse("two_factor:login"))
    assert next_door.get(dashboard).status_code == 200, "nobody else is signed out"
    assert SignedInSession.objects.filter(user=volunteer).count() == 1
    entry = AuditEvent.objects.get(action=AuditEvent.Action.SESSIONS_ENDED)
    assert entry.object_id == str(volunteer.pk) and entry.detail["ended"] == 1


def test_signing_out_one_device_and_not_someone_elses():
    officer, colleague = UserFactory(role=Role.OFFICER), UserFactory(role=Role.OFFICER)
    here, there = signed_in_client(officer), signed_in_client(officer)
    signed_in_client(colleague)
    theirs = SignedInSession.objects.get(user=colleague)
    other = SignedInSession.objects.get(user=officer, session_id=there.cookies["sessionid"].value)

    assert here.post(reverse("sign_out_device", args=[theirs.pk])).status_code == 404
    assert SignedInSession.objects.filter(pk=theirs.pk).exists()

    here.post(reverse("sign_out_device", args=[other.pk]))
    assert not SignedInSession.objects.filter(pk=other.pk).exists()
    assert there.get(reverse("triage:queue")).status_code == 302
    assert here.get(reverse("triage:queue")).status_code == 200


def test_signing_out_ends_the_row_with_the_session():
    volunteer = UserFactory(role=Role.VOLUNTEER)
    browser = signed_in_client(volunteer)
    assert SignedInSession.objects.filter(user=volunteer).count() == 1
    browser.post(reverse("logout"))
    assert not SignedInSession.objects.filter(user=volunteer).exists()


def test_the_page_costs_the_same_queries_however_many_devices(django_assert_max_num_queries):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    here = signed_in_client(volunteer)
    with django_assert_max_num_queries(100) as one:
        here.get(DEVICES)
    for _ in range(5):
        signed_in_client(volunteer)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = here.get(DEVICES)
    assert page.content.decode().count('class="list-group-item') == 6


@pytest.mark.parametrize(
    ("user_agent", "said"),
    [
        (PHONE_FIREFOX, "Firefox on Android"),
        (DESKTOP_CHROME, "Chrome on Windows"),
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0", "Edge on Windows"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15", "Safari on a Mac"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) CriOS/130.0 Safari/604.1", "Chrome on an iPhone"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0", "Firefox on Linux"),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/130.0 Safari/537.36", "Chrome on Linux"),
        ("curl/8.5.0", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)  # fmt: skip
def test_devices_are_named_as_people_know_them(user_agent, said):
    assert describe_device(user_agent) == said


def test_a_session_from_before_rows_were_kept_gets_one_at_its_next_request():
    from hubsite.signed_in import DEVICE_SEEN

    volunteer = UserFactory(role=Role.VOLUNTEER)
    browser = signed_in_client(volunteer, HTTP_USER_AGENT=PHONE_FIREFOX)
    SignedInSession.objects.all().delete()
    session = browser.session
    del session[DEVICE_SEEN]
    session.save()

    browser.get(reverse("volunteers:dashboard"))

    row = SignedInSession.objects.get(user=volunteer)
    assert row.user_agent == PHONE_FIREFOX and row.session_id == browser.cookies["sessionid"].value


def test_expired_sessions_are_cleared_with_their_devices():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from hubsite.tasks import clear_expired_sessions

    volunteer = UserFactory(role=Role.VOLUNTEER)
    stale, fresh = signed_in_client(volunteer), signed_in_client(volunteer)
    Session.objects.filter(session_key=stale.cookies["sessionid"].value).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    assert fresh.get(DEVICES).content.decode().count('class="list-group-item') == 1, "an expired one is not listed"

    clear_expired_sessions.delay()

    assert list(SignedInSession.objects.values_list("session_id", flat=True)) == [fresh.cookies["sessionid"].value]
    assert not Session.objects.filter(session_key=stale.cookies["sessionid"].value).exists()


def test_sessions_kept_anywhere_but_the_database_are_an_error(settings):
    from django.core import checks

    from hubsite.checks import sessions_are_kept_in_the_database as check

    assert check() == []
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    (error,) = check()
    assert error.id == "hubsite.E003" and error.level == checks.ERROR and "cached_db" in error.msg
