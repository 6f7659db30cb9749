"""A post shared to the Hub fills in the report form; nothing is saved until the volunteer sends it."""

import pytest
from django.test import Client
from django.urls import reverse

from hubsite.roles import Role
from reports.models import Report
from reports.sharing import shared_post
from tests.auth import sign_in_verified
from tests.factories import UserFactory, report_form_data
from tests.images import image_upload

pytestmark = pytest.mark.django_db

STATUS = "https://x.com/someone/status/123"


@pytest.mark.parametrize(
    ("shared", "expected"),
    [
        (
            {"url": STATUS, "text": "Go back where you came from"},
            {"post_url": STATUS, "captured_text": "Go back where you came from", "platform": "x"},
        ),
        # Many apps put the link at the end of the text.
        (
            {"text": f"Go back where you came from {STATUS}"},
            {"post_url": STATUS, "captured_text": "Go back where you came from", "platform": "x"},
        ),
        (
            {"text": "Look (https://www.reddit.com/r/example/comments/abc/)."},
            {
                "post_url": "https://www.reddit.com/r/example/comments/abc/",
                "captured_text": "Look ().",
                "platform": "reddit",
            },
        ),
        (
            {"title": "Vile words", "url": "https://vm.tiktok.com/ZMabc/"},
            {"post_url": "https://vm.tiktok.com/ZMabc/", "captured_text": "Vile words", "platform": "tiktok"},
        ),
        ({"url": "https://example.org/forum/1"}, {"post_url": "https://example.org/forum/1", "platform": "other"}),
        ({"text": "Only words, no link"}, {"captured_text": "Only words, no link"}),
        # Not a web link: shown as it came, so the volunteer sees it, with no platform guessed.
        ({"url": "javascript:alert(1)"}, {"post_url": "javascript:alert(1)"}),
        ({}, {}),
    ],
)
def test_what_is_shared_becomes_the_forms_first_values(shared, expected):
    assert shared_post(**shared) == expected


@pytest.fixture
def volunteer(client):
    return sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))


def field_value(response, name: str):
    return response.context["form"][name].value()


def test_the_query_string_fills_in_the_form_and_saves_nothing(client, volunteer):
    response = client.get(reverse("reports:new"), {"url": STATUS, "text": "Go back where you came from"})
    assert response.status_code == 200
    assert field_value(response, "post_url") == STATUS
    assert field_value(response, "captured_text") == "Go back where you came from"
    assert field_value(response, "platform") == "x"
    assert not response.context["form"].is_bound, "shown fresh, without error messages"
    assert b'id="shared-post"' in response.content
    assert Report.objects.count() == 0


def test_a_plain_form_says_nothing_about_sharing(client, volunteer):
    response = client.get(reverse("reports:new"))
    assert b'id="shared-post"' not in response.content


def test_the_share_target_needs_no_csrf_token_fills_in_the_form_and_saves_nothing(volunteer):
    phone = Client(enforce_csrf_checks=True)
    sign_in_verified(phone, volunteer)
    response = phone.post(
        reverse("reports:share"), {"title": "", "text": f"Go back where you came from {STATUS}", "url": ""}
    )
    assert response.status_code == 200
    assert field_value(response, "post_url") == STATUS
    assert field_value(response, "captured_text") == "Go back where you came from"
    assert field_value(response, "platform") == "x"
    form = response.context["form"]
    assert not form.is_bound and not form.errors
    assert f'action="{reverse("reports:new")}"' in response.content.decode(), "sent to the form's own address"
    assert b"csrfmiddlewaretoken" in response.content, "and with its token, like any other"
    assert Report.objects.count() == 0


def test_the_forms_own_submission_still_needs_its_csrf_token(volunteer):
    phone = Client(enforce_csrf_checks=True)
    sign_in_verified(phone, volunteer)
    assert phone.post(reverse("reports:new"), report_form_data()).status_code == 403
    assert Report.objects.count() == 0


def test_a_shared_picture_is_not_kept_and_the_volunteer_is_told(client, volunteer):
    response = client.post(reverse("reports:share"), {"url": STATUS, "screenshot": image_upload()})
    assert response.status_code == 200
    assert b'id="screenshot-left-behind"' in response.content
    assert Report.objects.count() == 0


def test_opening_the_share_address_directly_goes_to_the_form(client, volunteer):
    response = client.get(reverse("reports:share"))
    assert response.status_code == 302 and response["Location"] == reverse("reports:new")


def test_the_filled_in_form_sends_a_report_as_usual(client, volunteer):
    shown = client.get(reverse("reports:new"), {"url": STATUS, "text": "Go back where you came from"})
    data = report_form_data(
        submission_key=str(field_value(shown, "submission_key")),
        post_url=field_value(shown, "post_url"),
        captured_text=field_value(shown, "captured_text"),
        platform=field_value(shown, "platform"),
    )
    assert client.post(reverse("reports:new"), data).status_code == 302
    report = Report.objects.get()
    assert report.platform == "x" and report.captured_text == "Go back where you came from"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.ADMIN, Role.PARTNER])
def test_only_volunteers_may_share_to_the_hub(client, role):
    sign_in_verified(client, UserFactory(role=role))
    assert client.post(reverse("reports:share"), {"url": STATUS}).status_code == 403
    assert client.get(reverse("reports:new"), {"url": STATUS}).status_code == 403


def test_signed_out_the_share_target_sends_to_sign_in(client):
    response = client.post(reverse("reports:share"), {"url": STATUS})
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor:login"))


def test_the_volunteers_page_offers_the_bookmarklet(client, volunteer):
    page = client.get(reverse("volunteers:dashboard")).content.decode()
    assert 'id="bookmarklet"' in page
    assert "javascript:(function(){window.open(&#x27;http://testserver/reports/new/?url=" in page
    assert "Drag this button to your browser’s bookmarks bar" in page
