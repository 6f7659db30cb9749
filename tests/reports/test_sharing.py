"""A post shared to the Hub fills in the report form; nothing is saved until the volunteer sends it."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from PIL import Image

from hubsite.roles import Role
from reports.models import Report
from reports.sharing import shared_picture_find, shared_post
from tests.auth import sign_in_verified
from tests.factories import UserFactory, report_form_data
from tests.images import fake_png, image_upload

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


def share_a_picture(client, picture=None):
    picture = picture or image_upload(size=(64, 48))
    response = client.post(reverse("reports:share"), {"url": STATUS, "text": "Go back", "screenshot": picture})
    assert response.status_code == 200
    return response


def send_shown_form(client, shown, **changes):
    form = shown.context["form"]
    data = report_form_data(
        **{name: form[name].value() for name in ("submission_key", "post_url", "captured_text", "shared_picture")}
    )
    return client.post(reverse("reports:new"), {**data, "submission_key": str(data["submission_key"]), **changes})


def test_a_shared_picture_is_held_not_saved_and_sent_with_the_report(client, volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shown = share_a_picture(client)
    token = field_value(shown, "shared_picture")
    assert token and b'id="shared-picture"' in shown.content
    assert Report.objects.count() == 0 and not list(tmp_path.iterdir()), "nothing in the database or on disk"
    assert shared_picture_find(user_pk=volunteer.pk, token=token).width == 64

    assert send_shown_form(client, shown).status_code == 302
    report = Report.objects.get()
    assert report.screenshot and report.evidence_intact()
    with Image.open(report.screenshot.open("rb")) as stored:
        assert stored.size == (64, 48)
    assert shared_picture_find(user_pk=volunteer.pk, token=token) is None, "let go once sent"


def test_a_picture_chosen_on_the_form_replaces_the_shared_one(client, volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shown = share_a_picture(client)
    assert send_shown_form(client, shown, screenshot=image_upload(size=(30, 20))).status_code == 302
    with Image.open(Report.objects.get().screenshot.open("rb")) as stored:
        assert stored.size == (30, 20)


def test_another_volunteers_token_finds_no_picture(client, volunteer):
    token = field_value(share_a_picture(client), "shared_picture")
    other = UserFactory(role=Role.VOLUNTEER)
    assert shared_picture_find(user_pk=other.pk, token=token) is None


def test_an_expired_picture_is_explained_and_the_report_can_then_be_sent_without_it(client, volunteer):
    shown = share_a_picture(client)
    cache.clear()  # the hour has passed
    refused = send_shown_form(client, shown)
    assert refused.status_code == 200 and Report.objects.count() == 0
    assert "The picture you shared is no longer held" in refused.content.decode()
    assert refused.context["form"]["shared_picture"].value() == "", "shown again without it"
    data = {**refused.context["form"].data.dict(), "categories": report_form_data()["categories"]}
    assert client.post(reverse("reports:new"), data).status_code == 302
    assert not Report.objects.get().screenshot


def test_a_shared_file_that_is_not_a_picture_is_refused_and_the_rest_kept(client, volunteer):
    shown = share_a_picture(client, fake_png())
    assert b'id="shared-picture-refused"' in shown.content
    assert "not a picture we can read" in shown.content.decode()
    assert field_value(shown, "shared_picture") in (None, "")
    assert field_value(shown, "post_url") == STATUS


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


def test_a_volunteer_sharing_picture_after_picture_holds_only_the_latest_few():
    from reports.evidence import Screenshot
    from reports.sharing import SHARED_PICTURES_HELD, shared_picture_hold

    picture = Screenshot(png=b"\x89PNG held", width=1, height=1)
    tokens = [shared_picture_hold(user_pk=4242, screenshot=picture) for _ in range(SHARED_PICTURES_HELD + 2)]
    found = [shared_picture_find(user_pk=4242, token=token) is not None for token in tokens]
    assert found == [False, False, *[True] * SHARED_PICTURES_HELD]
