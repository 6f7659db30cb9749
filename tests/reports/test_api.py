"""Partner intake: POST /api/v1/reports/."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hubsite.roles import Role
from reports.models import Report
from tests.factories import UserFactory, partner_token
from tests.images import fake_png, image_upload, png_bomb
from triage.models import Case

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"


@pytest.fixture
def partner_client():
    partner = UserFactory(role=Role.PARTNER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {partner_token(partner)}")
    client.partner = partner
    return client


def payload(**changes):
    data = {
        "post_url": "https://mobile.twitter.com/example/status/42?utm_source=share",
        "captured_text": "They are vermin and should all be driven out.",
        "author_handle": "@example",
        "categories": ["race"],
        "threat_of_violence": True,
        "poster_force": "west-yorkshire-police",
    }
    data.update(changes)
    return data


def test_the_url_is_the_documented_one():
    assert reverse("api:reports") == URL


def test_a_partner_sends_a_report(partner_client):
    response = partner_client.post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    report = Report.objects.get(pk=body["id"])
    assert report.reporter == partner_client.partner
    assert report.normalised_url == "https://x.com/example/status/42"
    assert body["platform"] == "x"
    assert body["evidence_sha256"] == report.evidence_sha256
    assert report.threat_of_violence and report.poster_force.slug == "west-yorkshire-police"


def test_the_answer_to_sending_is_the_report_as_reading_it_gives(partner_client):
    sent = partner_client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="shape")
    replayed = partner_client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="shape")
    read = partner_client.get(reverse("api:report", args=[sent.json()["id"]]))
    assert sent.status_code == replayed.status_code == 201 and read.status_code == 200
    assert sent.json() == replayed.json() == read.json()
    assert sent.json()["outcome"] == {"decision": "", "reason": "", "police_outcome": ""}
    assert sent.json()["status"] in {"received", "being_assessed"}


def test_a_retried_request_with_the_same_idempotency_key_returns_the_first_result(partner_client):
    first = partner_client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    again = partner_client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


def test_another_partner_using_the_same_key_gets_their_own_report():
    for _ in range(2):
        partner = UserFactory(role=Role.PARTNER)
        client = APIClient()
        client.force_authenticate(partner)
        assert client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert Report.objects.count() == 2 and Case.objects.count() == 1


def test_the_same_post_under_a_new_key_is_a_duplicate(partner_client):
    first = partner_client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="one")
    second = partner_client.post(
        URL, payload(post_url="https://x.com/example/status/42"), format="json", HTTP_IDEMPOTENCY_KEY="two"
    )
    assert second.status_code == 409
    assert second.json() == {"detail": "You have already reported this post.", "report": first.json()["id"]}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"platform": "myspace"}, "platform", "is not a valid choice"),
        ({"post_url": "javascript:alert(1)"}, "post_url", "That is not a web link."),
        ({"post_url": "data:text/html,hi"}, "post_url", "That is not a web link."),
        ({"post_url": "file:///etc/passwd"}, "post_url", "That is not a web link."),
        ({"post_url": "not a url"}, "post_url", "That is not a web link."),
        ({"captured_text": "x" * 20_001}, "captured_text", "The text is too long"),
        ({"captured_text": "\u200b \n"}, "captured_text", "Copy the text of the post here: it is empty."),
        ({"categories": []}, "categories", "This list may not be empty."),
        ({"categories": ["no-such-group"]}, "categories", "does not exist"),
        ({"post_url": "", "platform": ""}, "post_url", "If it has no link"),
        ({"captured_at": "2999-01-01T00:00:00Z"}, "captured_at", "in the future"),
        ({"captured_at": "2001-01-01T00:00:00Z"}, "captured_at", "more than a year ago"),
        ({"post_url": "https://x.com:99999/a"}, "post_url", "That is not a web link."),
        ({"target_force": "atlantis-police"}, "target_force", "does not exist"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_stores_nothing(partner_client, changes, field, message):
    response = partner_client.post(URL, payload(**changes), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert Report.objects.count() == 0 and Case.objects.count() == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [(fake_png, "not a picture we can read"), (png_bomb, "dimensions are too large")],
)
def test_bad_screenshots_are_refused(partner_client, make, message):
    data = {**payload(), "categories": "race", "screenshot": make()}
    response = partner_client.post(URL, data, format="multipart")
    assert response.status_code == 400
    assert message in " ".join(response.json()["screenshot"])
    assert Report.objects.count() == 0


def test_a_screenshot_can_be_sent_as_multipart(partner_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = {**payload(), "categories": "race", "screenshot": image_upload()}
    response = partner_client.post(URL, data, format="multipart")
    assert response.status_code == 201, response.json()
    assert Report.objects.get().screenshot.name.endswith(".png")


def test_requests_are_throttled_per_token(partner_client, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"partner-intake": "2/minute"})
    codes = [
        partner_client.post(URL, payload(post_url=f"https://x.com/a/status/{n}"), format="json").status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]
    other = APIClient()
    other.force_authenticate(UserFactory(role=Role.PARTNER))
    assert other.post(URL, payload(), format="json").status_code == 201, "another token has its own allowance"


def test_a_volunteer_token_may_not_use_partner_intake():
    client = APIClient()
    client.force_authenticate(UserFactory(role=Role.VOLUNTEER))
    response = client.post(URL, payload(), format="json")
    assert response.status_code == 403
    assert "partner account" in response.json()["detail"]


def test_html_is_stored_as_text(partner_client):
    response = partner_client.post(URL, payload(captured_text="<img src=x onerror=alert(1)>"), format="json")
    assert Report.objects.get(pk=response.json()["id"]).captured_text == "<img src=x onerror=alert(1)>"


def test_the_schema_documents_intake_with_examples(client, sign_in):
    import yaml

    sign_in(Role.PARTNER)
    schema = yaml.safe_load(client.get(reverse("schema")).content)
    operation = schema["paths"]["/api/v1/reports/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in operation["parameters"]]
    assert operation["requestBody"]["content"]["application/json"]["examples"]
    assert {"201", "400", "409", "429"} <= set(operation["responses"])


def test_an_idempotency_key_reused_for_another_post_is_refused(partner_client):
    partner_client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    response = partner_client.post(
        URL, payload(post_url="https://x.com/other/status/1"), format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert response.status_code == 422
    assert "already used for a different post" in response.json()["detail"]
    assert Report.objects.count() == 1
