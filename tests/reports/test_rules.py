"""A report's rules (reports/rules.py): the service refuses what breaks them, and the form and the API say so in
the same words beside the same field."""

import pytest
from rest_framework.test import APIClient

from hubsite.roles import Role
from reports.forms import ReportForm
from reports.models import Category, Report
from reports.rules import NOT_A_WEB_LINK, POST_NOT_IDENTIFIED, TEXT_EMPTY, ReportRuleError
from tests.factories import UserFactory, partner_token, report_form_data
from triage.intake import report_submit
from triage.models import Case

pytestmark = pytest.mark.django_db

TOO_LONG = "The text is too long: keep it under 20,000 characters (it has 20,001). Take the part that matters most."

# Each rule broken once: the inputs that break it, the field at fault, and the one message for it.
BROKEN = [
    pytest.param({"captured_text": "\u200b \n\t"}, "captured_text", TEXT_EMPTY, id="invisible text"),
    pytest.param({"captured_text": "x" * 20_001}, "captured_text", TOO_LONG, id="text too long"),
    pytest.param({"post_url": "javascript:alert(1)"}, "post_url", NOT_A_WEB_LINK, id="javascript link"),
    pytest.param({"post_url": "ftp://example.com/post"}, "post_url", NOT_A_WEB_LINK, id="ftp link"),
    pytest.param({"post_url": "https://x.com:99999/a"}, "post_url", NOT_A_WEB_LINK, id="port out of range"),
    pytest.param({"post_url": "", "platform": ""}, "post_url", POST_NOT_IDENTIFIED, id="no link, no platform"),
    pytest.param({"post_url": "", "author_handle": ""}, "post_url", POST_NOT_IDENTIFIED, id="no link, no author"),
]


def service_input(**changes) -> dict:
    return {
        "post_url": "https://x.com/example/status/42",
        "platform": "x",
        "author_handle": "@example",
        "captured_text": "They are vermin and should all be driven out.",
        "categories": Category.objects.filter(slug="race"),
        **changes,
    }


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200e\n"])
def test_the_service_refuses_a_report_without_visible_text_and_writes_nothing(text, django_capture_on_commit_callbacks):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    with django_capture_on_commit_callbacks() as queued, pytest.raises(ReportRuleError) as refused:
        report_submit(reporter=volunteer, **service_input(captured_text=text))
    assert (refused.value.field, refused.value.message) == ("captured_text", TEXT_EMPTY)
    assert not Report.objects.exists() and not Case.objects.exists() and queued == []


@pytest.mark.parametrize(("changes", "field", "message"), BROKEN)
def test_the_service_refuses_each_broken_rule_before_writing(changes, field, message):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    with pytest.raises(ReportRuleError) as refused:
        report_submit(reporter=volunteer, **service_input(**changes))
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Report.objects.exists() and not Case.objects.exists()


@pytest.mark.parametrize(("changes", "field", "message"), BROKEN)
def test_the_form_and_the_api_give_the_rules_message_beside_the_same_field(changes, field, message):
    form = ReportForm(data=report_form_data(**{"platform": "x", **changes}))
    assert not form.is_valid()
    assert message in form.errors[field]

    partner = UserFactory(role=Role.PARTNER)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {partner_token(partner)}")
    sent = {**service_input(**changes), "categories": ["race"]}
    response = api.post("/api/v1/reports/", sent, format="json")
    assert response.status_code == 400
    assert message in response.json()[field]
    assert not Report.objects.exists()


def test_a_refusal_only_the_service_makes_is_still_shown_beside_its_field(client, sign_in, monkeypatch):
    """Should the form or the API ever let through what the service refuses, the person reads the service's
    sentence beside the field, with what they typed kept, and nothing is saved."""

    def refuse(**given):
        raise ReportRuleError("captured_text", "The service says no.")

    monkeypatch.setattr("triage.intake.report_check", refuse)
    sign_in(Role.VOLUNTEER)
    page = client.post("/reports/new/", report_form_data(captured_text="Typed by the volunteer."))
    assert page.status_code == 200
    shown = page.content.decode()
    assert "The service says no." in shown and "Typed by the volunteer." in shown

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {partner_token()}")
    response = api.post("/api/v1/reports/", {**service_input(), "categories": ["race"]}, format="json")
    assert response.status_code == 400 and response.json() == {"captured_text": ["The service says no."]}
    assert not Report.objects.exists() and not Case.objects.exists()
