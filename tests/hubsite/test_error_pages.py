"""No redirect loops, and no bare error pages: each says what happened, in the layout, with the way back."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from hubsite.roles import Role
from tests.auth import authenticator, login_wizard, sign_in_verified
from tests.factories import TEST_PASSWORD, UserFactory, partner_token
from tests.test_permissions import MATRIX, _url

pytestmark = pytest.mark.django_db

LOGIN = reverse("two_factor:login")
MAX_HOPS = 10
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what a browser asks for


def follow(client, url: str) -> list[tuple[str, int]]:
    """Each address a browser would visit from ``url``, with its status, until a page answers. Fails on a loop."""
    visited: list[tuple[str, int]] = []
    for _ in range(MAX_HOPS):
        response = client.get(url)
        visited.append((url, response.status_code))
        if response.status_code not in (301, 302, 303, 307, 308):
            return visited
        url = response["Location"]
        if url in [seen for seen, _ in visited]:
            pytest.fail(f"redirect loop: {' -> '.join(seen for seen, _ in visited)} -> {url}")
    pytest.fail(f"more than {MAX_HOPS} redirects: {' -> '.join(seen for seen, _ in visited)}")


def _signed_in(client, who: str):
    """Everyone a browser might be: each role with both steps done, and people part-way through."""
    if who == "anonymous":
        return None
    if who == "volunteer without a second step":
        user = UserFactory(role=Role.VOLUNTEER)
        client.force_login(user)
    elif who == "officer without a second step":
        user = UserFactory(role=Role.OFFICER)
        client.force_login(user)
    elif who == "volunteer signed in without their code":
        user = UserFactory(role=Role.VOLUNTEER)
        authenticator(user)
        client.force_login(user)
    else:
        user = sign_in_verified(client, UserFactory(role=Role(who)))
    return user


PEOPLE = [
    "anonymous",
    *[role.value for role in Role],
    "volunteer without a second step",
    "officer without a second step",
    "volunteer signed in without their code",
]
# Addresses people open by hand or from a bookmark, beyond the named pages.
EXTRA = ["/admin/", "/admin/triage/case/", "/admin/login/?next=/admin/", f"{LOGIN}?next=/admin/", "/api/docs/"]


@pytest.mark.parametrize("who", PEOPLE)
def test_no_page_sends_anyone_round_in_a_loop(who, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    names = sorted({name for method, name in MATRIX if method == "GET"} - {"two_factor:qr"})
    urls = [_url(name) for name in names] + EXTRA
    client = Client(HTTP_ACCEPT=BROWSER)
    user = _signed_in(client, who)
    for url in urls:
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)  # some pages sign people out (a second step skipped): in again, as before
        visited = follow(client, url)
        assert visited[-1][1] < 500, f"{who}: {visited}"


def test_a_signed_in_volunteer_opening_the_admin_is_told_it_is_for_administrators(client):
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert [url for url, _ in response.redirect_chain] == [f"{reverse('admin:login')}?next=/admin/"]
    page = response.content.decode()
    assert "This part of the Hub is for administrators" in page
    assert f'href="{reverse("volunteers:dashboard")}">Go to my page</a>' in page, "the way back to their work"
    # Signing in as someone else (an admin) brings them back to the admin site.
    assert f'action="{reverse("logout")}"' in page and "Sign in as someone else" in page
    assert f'name="next" value="{LOGIN}?next=%2Fadmin%2F"' in page
    landed = client.post(reverse("logout"), {"next": f"{LOGIN}?next=/admin/"})
    assert landed["Location"] == f"{LOGIN}?next=/admin/"


def test_an_admin_still_reaches_the_admin_and_a_visitor_is_sent_to_sign_in(client):
    assert client.get("/admin/", follow=True).redirect_chain[-1][0] == f"{LOGIN}?next=/admin/"
    sign_in_verified(client, UserFactory(role=Role.ADMIN, is_staff=True))
    assert client.get("/admin/").status_code == 200


def test_backup_codes_without_a_second_step_lead_to_setting_it_up(client):
    client.force_login(UserFactory(role=Role.VOLUNTEER))
    response = client.get(reverse("two_factor:backup_tokens"), follow=True)
    assert response.redirect_chain == [(reverse("two_factor:setup"), 302)]
    assert "You have not set up two-step sign-in yet" in response.content.decode()
    assert client.get(reverse("two_factor:setup_complete"))["Location"] == reverse("two_factor:setup")


def test_backup_codes_for_someone_signed_in_without_their_code_ask_them_to_sign_in_properly(client):
    user = UserFactory(role=Role.VOLUNTEER)
    authenticator(user)
    client.force_login(user)
    response = client.get(reverse("two_factor:backup_tokens"))
    assert response["Location"] == f"{LOGIN}?next=%2Faccounts%2Ftwo-step%2Fbackup-codes%2F"
    assert "_auth_user_id" not in client.session


def test_backup_codes_still_open_for_someone_with_a_second_step(client):
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    assert client.get(reverse("two_factor:backup_tokens")).status_code == 200


def _in_the_layout(page: str) -> None:
    assert '<nav class="navbar' in page and "Skip to content" in page, "the site's layout"
    assert "/static/bootstrap/css/bootstrap.min.css" in page


def test_a_page_not_found_says_so_in_the_layout_with_the_way_back(client):
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    _in_the_layout(page)
    assert "There is no page here" in page
    assert f'href="{reverse("triage:queue")}">Go to the queue</a>' in page
    assert "Sign in as someone else" in page


def test_a_page_for_another_role_says_so_in_the_layout_with_the_way_back(client):
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    response = client.get(reverse("triage:queue"))
    assert response.status_code == 403
    page = response.content.decode()
    _in_the_layout(page)
    assert "This page is not open to your account" in page
    assert "Go to my page" in page and "Sign in as someone else" in page
    assert f'value="{LOGIN}?next=%2Ftriage%2F"' in page


def test_a_visitor_on_a_missing_page_is_offered_sign_in(client):
    page = client.get("/no-such-page/").content.decode()
    _in_the_layout(page)
    assert f'href="{LOGIN}">Sign in</a>' in page and "Sign in as someone else" not in page


def test_an_expired_form_is_explained_in_the_layout(client):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(role=Role.VOLUNTEER))
    response = strict.post(reverse("logout"))
    assert response.status_code == 403
    page = response.content.decode()
    _in_the_layout(page)
    assert "That form had expired" in page and "nothing was changed" in page


def test_a_paused_sign_in_is_explained_in_the_layout_with_the_way_back(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(LOGIN, login_wizard(user.username, "wrong"))
    assert response.status_code == 429
    page = response.content.decode()
    _in_the_layout(page)
    assert "Signing in is paused" in page
    assert f'href="{LOGIN}">Sign in with another account</a>' in page


def test_a_request_the_hub_cannot_read_is_explained_in_the_layout(client):
    response = client.get("/", HTTP_HOST="not-this-hub.example")
    assert response.status_code == 400
    page = response.content.decode()
    _in_the_layout(page)
    assert "The Hub could not read that request" in page and f'href="{LOGIN}">Sign in</a>' in page
    api = client.get(reverse("api:queue"), HTTP_HOST="not-this-hub.example")
    assert api.status_code == 400 and api.json() == {"detail": "The request could not be read."}


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.hubsite.failing_urls"


def test_a_server_error_says_so_in_the_layout_without_the_request(failing_urls, settings):
    assert not settings.DEBUG
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.VOLUNTEER))
    response = client.get("/fails/")
    assert response.status_code == 500
    page = response.content.decode()
    _in_the_layout(page)
    assert "Something went wrong on the Hub's side" in page
    assert f'href="{reverse("home")}">Go to the Hub' in page
    # Drawn without context processors: no menu, no name, nothing that needs the request.
    assert "Signed in as" not in page


def test_a_server_error_page_that_cannot_be_drawn_still_answers_in_words(failing_urls, monkeypatch):
    from hubsite import errors

    def broken(name):
        raise RuntimeError("template storage is gone")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    assert "Something went wrong on the Hub&#x27;s side" in response.content.decode() or (
        "Something went wrong on the Hub's side" in response.content.decode()
    )


def test_api_errors_stay_json(failing_urls, client):
    for url, status in (("/api/v1/no-such-endpoint/", 404), ("/api/v1/fails/", 500)):
        response = Client(raise_request_exception=False).get(url)
        assert response.status_code == status and response["Content-Type"] == "application/json", url
        assert json.loads(response.content)["detail"]
    refused = client.get(reverse("api:queue"))
    assert refused.status_code == 403 and refused.json()["detail"]


@pytest.mark.parametrize("name", ["api-docs", "schema"])
def test_a_visitor_opening_the_api_docs_in_a_browser_is_sent_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url, HTTP_ACCEPT=BROWSER)
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next={url}"


def test_api_clients_keep_their_json_answers_for_the_schema(client):

    for headers in ({"HTTP_ACCEPT": "application/json"}, {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}, {}):
        refused = client.get(reverse("schema"), **headers)
        assert refused.status_code == 403 and b"detail" in refused.content, headers  # DRF's answer, as before
    token = partner_token()
    answered = client.get(reverse("schema"), HTTP_AUTHORIZATION=f"Token {token}")
    assert answered.status_code == 200 and b"openapi:" in answered.content
    wrong = client.get(reverse("schema"), HTTP_ACCEPT=BROWSER, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert wrong.status_code in (401, 403) and b"detail" in wrong.content, "a bad token is refused, not redirected"


def test_signing_in_from_the_docs_comes_back_to_them(client):
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(f"{LOGIN}?next=/api/docs/", login_wizard(user.username, TEST_PASSWORD))
    assert response["Location"] == "/api/docs/"
    assert client.get("/api/docs/", HTTP_ACCEPT=BROWSER).status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()
