"""The client's own address behind our proxy: one reading for the lockout, the audit log and the API's limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from hubsite.addresses import client_address
from hubsite.models import AuditEvent
from hubsite.roles import Role
from hubsite.throttling import ScopedRateThrottle
from tests.auth import authenticator, login_wizard
from tests.factories import TEST_PASSWORD, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("two_factor:login")
ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"  # the proxy in front of the Hub: every request arrives from it
CLIENT_A, CLIENT_B = "203.0.113.10", "198.51.100.20"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1  # what BEHIND_TLS_PROXY=true gives


def through_proxy(client_sent: str = "", *, client: str) -> dict:
    """The request as the Hub gets it from the proxy, which appends the address it was reached from."""
    forwarded = f"{client_sent}, {client}" if client_sent else client
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def wrong_passwords(client, username: str, times: int, **meta) -> None:
    for _ in range(times):
        client.post(LOGIN, login_wizard(username, "wrong"), **meta)


def signs_in(client, username: str, **meta) -> bool:
    response = client.post(LOGIN, login_wizard(username, TEST_PASSWORD), **meta)
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_a_lockout_of_one_client_leaves_another_clients_sign_in_working(client, behind_one_proxy, settings):
    person = UserFactory(role=Role.VOLUNTEER)
    wrong_passwords(client, person.username, settings.AXES_FAILURE_LIMIT, **through_proxy(client=CLIENT_A))
    locked = client.post(LOGIN, login_wizard(person.username, TEST_PASSWORD), **through_proxy(client=CLIENT_A))
    assert locked.status_code == 429, "the client who sent the wrong passwords is paused"
    assert signs_in(client, person.username, **through_proxy(client=CLIENT_B)), "another client is not"


def test_a_client_cannot_choose_its_address_by_writing_the_header_itself(client, behind_one_proxy, settings):
    person = UserFactory(role=Role.OFFICER)
    authenticator(person)
    # The attacker writes the victim's address at the left of the header; the proxy appends the attacker's own.
    wrong_passwords(client, person.username, settings.AXES_FAILURE_LIMIT, **through_proxy(CLIENT_B, client=CLIENT_A))
    request = RequestFactory().get("/", **through_proxy(CLIENT_B, client=CLIENT_A))
    assert client_address(request) == CLIENT_A
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert set(failed.values_list("address", flat=True)) == {CLIENT_A}
    response = client.post(LOGIN, login_wizard(person.username, TEST_PASSWORD), **through_proxy(client=CLIENT_B))
    assert response.status_code == 200 and "Enter the six-digit code" in response.content.decode()


def test_audit_rows_carry_the_clients_address_not_the_proxys(client, sign_in, behind_one_proxy):
    officer = sign_in(Role.OFFICER)
    case = ReportFactory().case
    client.get(reverse("triage:case", args=[case.pk]), **through_proxy("192.0.2.99", client=CLIENT_A))
    client.get(reverse("api:case", args=[case.pk]), **through_proxy(client=CLIENT_B))
    page, api = AuditEvent.objects.filter(action=AuditEvent.Action.CASE_VIEWED).order_by("pk")
    assert (page.actor, page.address) == (officer, CLIENT_A)
    assert api.address == CLIENT_B


def test_without_a_proxy_the_header_is_ignored(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # BEHIND_TLS_PROXY unset
    person = UserFactory(role=Role.VOLUNTEER)
    direct = {"REMOTE_ADDR": CLIENT_A}
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=CLIENT_B, **direct)
    assert client_address(request) == CLIENT_A
    wrong_passwords(client, person.username, settings.AXES_FAILURE_LIMIT, HTTP_X_FORWARDED_FOR=CLIENT_B, **direct)
    (address,) = set(AuditEvent.objects.values_list("address", flat=True))
    assert address == CLIENT_A
    # Another made-up header does not get round the pause: it is the connection that counts.
    locked = client.post(
        LOGIN, login_wizard(person.username, TEST_PASSWORD), HTTP_X_FORWARDED_FOR="192.0.2.1", **direct
    )
    assert locked.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, CLIENT_A, CLIENT_A),
        (1, f"192.0.2.1, 192.0.2.2, {CLIENT_A}", CLIENT_A),
        (1, f"not-an-address, {CLIENT_A}", CLIENT_A),
        (2, f"192.0.2.1, {CLIENT_A}, 10.0.0.9", CLIENT_A),  # a CDN, then our own proxy
        (2, CLIENT_A, PROXY),  # fewer entries than proxies: it did not come through them all
        (1, "", PROXY),  # no header: the connection's
        (1, f"{CLIENT_A}:51234", CLIENT_A),  # some proxies add the port
    ],
)
def test_the_client_is_the_entry_as_many_places_from_the_right_as_there_are_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": PROXY, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_the_apis_limits_count_the_same_address(behind_one_proxy):
    request = RequestFactory().get("/", **through_proxy(CLIENT_B, client=CLIENT_A))
    assert ScopedRateThrottle().get_ident(request) == CLIENT_A


def test_behind_tls_proxy_trusts_one_proxy_by_default_and_the_count_can_be_set():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hubsite.settings'; django.setup();"
        "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT, settings.REST_FRAMEWORK['NUM_PROXIES'])"
    )

    def counts(**extra) -> str:
        environment = {k: v for k, v in os.environ.items() if k not in {"BEHIND_TLS_PROXY", "TRUSTED_PROXY_COUNT"}}
        environment.update(DJANGO_DEBUG="true", **extra)  # only the settings module is read: no database
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
        )
        return result.stdout.strip() or result.stderr.strip().splitlines()[-1]

    assert counts() == "0 0"
    assert counts(TRUSTED_PROXY_COUNT="2") == "0 0", "without the proxy the header is never read"
    assert counts(BEHIND_TLS_PROXY="true") == "1 1"
    assert counts(BEHIND_TLS_PROXY="true", TRUSTED_PROXY_COUNT="2") == "2 2"
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in counts(BEHIND_TLS_PROXY="true", TRUSTED_PROXY_COUNT="-1")
