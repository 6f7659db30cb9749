"""Pages and API answers that hold case data or personal data are never kept by a browser or a proxy."""

import pytest
from rest_framework.test import APIClient

from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import UserFactory, partner_token
from tests.test_permissions import ANON, MATRIX, REFERRAL_FORCE, _url

pytestmark = pytest.mark.django_db

# Every page and endpoint that some signed-in role opens (200), with the first such role. New pages join the
# permission matrix, and so this list, as they are made.
OPENED = {
    name: openers[0]
    for (method, name), answers in MATRIX.items()
    if method == "GET" and name not in {"healthz", "readyz"}
    for openers in [[who for who, status in answers.items() if who != ANON and status == 200]]
    if openers
}


def never_stored(response) -> bool:
    directives = {directive.strip() for directive in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_the_pages_people_asked_about_are_among_them():
    pages = {"triage:queue", "triage:case", "reports:mine", "liaison:referrals", "liaison:referral"}
    assert pages | {"triage:referral", "triage:referral-json", "api:cases", "api:queue", "api:referral"} <= set(OPENED)


@pytest.mark.parametrize(("name", "who"), OPENED.items(), ids=str)
def test_every_page_a_signed_in_person_opens_is_never_stored(client, settings, tmp_path, name, who):
    settings.MEDIA_ROOT = tmp_path
    url = _url(name)
    person = UserFactory(role=who)
    if who == Role.LIAISON:
        from triage.models import Force, ForceLiaison

        ForceLiaison.objects.create(user=person, force=Force.objects.get(slug=REFERRAL_FORCE))
    sign_in_verified(client, person)
    response = client.get(url)
    assert response.status_code == 200, url
    assert never_stored(response), f"{url}: Cache-Control {response.get('Cache-Control')!r}"


def test_api_answers_are_never_stored_whoever_asks():
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Token {partner_token()}")
    sent = partner.post(
        "/api/v1/reports/",
        {"post_url": "https://x.com/a/status/1", "captured_text": "Get out.", "categories": ["race"]},
        format="json",
    )
    assert sent.status_code == 201 and never_stored(sent)
    refused = APIClient().get("/api/v1/cases/")
    assert refused.status_code == 403 and never_stored(refused), "an API answer, even a refusal"


def test_a_signed_in_persons_error_pages_are_never_stored(client):
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    assert never_stored(client.get("/triage/")), "403 for a volunteer, with their name in the menu"
    assert never_stored(client.get("/no-such-page/"))
