import pytest
from django.urls import reverse

from hubsite.roles import Role
from reports.models import Category, CounterSpeech, Report
from tests.factories import ReportFactory, UserFactory, report_form_data
from tests.images import fake_png, image_upload, png_bomb
from triage.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(sign_in):
    return sign_in(Role.VOLUNTEER)


def test_form_page_offers_every_active_category(client, volunteer):
    response = client.get(reverse("reports:new"))
    assert response.status_code == 200
    for category in Category.objects.filter(is_active=True):
        assert category.name in response.content.decode()


def test_submitting_saves_the_report_with_its_case_platform_and_evidence(
    client, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("reports:new"), report_form_data(post_url="https://m.facebook.com/groups/1/posts/2/?fbclid=abc")
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:mine")
    report = Report.objects.get()
    assert report.reporter == volunteer
    assert report.platform == "facebook"
    assert report.normalised_url == "https://www.facebook.com/groups/1/posts/2"
    assert len(report.evidence_sha256) == 64 and report.evidence_intact()
    assert report.score_status == Report.ScoreStatus.PENDING
    assert set(report.categories.values_list("slug", flat=True)) == {"race", "anti-muslim"}
    assert len(callbacks) == 1, "scoring is queued once, after commit"


def test_platform_chosen_by_the_volunteer_wins(client, volunteer):
    client.post(reverse("reports:new"), report_form_data(platform="instagram"))
    assert Report.objects.get().platform == "instagram"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"post_url": "javascript:alert(1)"}, "That is not a web link."),
        ({"post_url": "data:text/html;base64,PHNjcmlwdD4="}, "That is not a web link."),
        ({"post_url": "file:///etc/passwd"}, "That is not a web link."),
        ({"captured_text": "x" * 20_001}, "The text is too long"),
        ({"categories": []}, "Tick at least one group the post targets."),
    ],
)
def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, volunteer, changes, message):
    data = report_form_data(**changes)
    response = client.post(reverse("reports:new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="@poster"' in page
    assert "Still up at 10am." in page
    assert Report.objects.count() == 0 and Case.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (fake_png, "That file is not a picture we can read."),
        (png_bomb, "dimensions are too large"),
        (lambda: image_upload("GIF", name="shot.gif"), "That file is not a picture we can read."),
    ],
)
def test_bad_screenshots_are_refused_and_nothing_is_stored(client, volunteer, upload, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.post(reverse("reports:new"), {**report_form_data(), "screenshot": upload()})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Choose your screenshot again" in response.content.decode()
    assert Report.objects.count() == 0
    assert not any(tmp_path.rglob("*.png"))


def test_a_screenshot_is_re_encoded_without_metadata_and_served_only_to_those_allowed(
    client, volunteer, settings, tmp_path, sign_in
):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    upload = image_upload("JPEG", name="../../etc/evil.jpg", exif=exif.tobytes())
    assert client.post(reverse("reports:new"), {**report_form_data(), "screenshot": upload}).status_code == 302
    report = Report.objects.get()
    assert report.screenshot.name.startswith("screenshots/") and report.screenshot.name.endswith(".png")
    assert "evil" not in report.screenshot.name
    stored = report.screenshot.open("rb").read()
    assert stored.startswith(b"\x89PNG") and b"SecretPhoneMaker" not in stored
    assert report.evidence_intact()

    response = client.get(reverse("reports:screenshot", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename=")
    client.logout()
    sign_in(Role.VOLUNTEER)
    assert client.get(reverse("reports:screenshot", args=[report.pk])).status_code == 404
    client.logout()
    sign_in(Role.OFFICER)
    assert client.get(reverse("reports:screenshot", args=[report.pk])).status_code == 200


def test_a_second_report_of_the_same_post_is_refused_with_a_pointer_to_the_first(client, volunteer):
    client.post(reverse("reports:new"), report_form_data(post_url="https://twitter.com/a/status/9?utm_source=x"))
    response = client.post(reverse("reports:new"), report_form_data(post_url="https://x.com/a/status/9"))
    assert response.status_code == 200
    first = Report.objects.get()
    assert f"You have already reported this post (report {first.pk}" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_double_click_creates_one_report(client, volunteer):
    data = report_form_data()
    first = client.post(reverse("reports:new"), data)
    second = client.post(reverse("reports:new"), data)
    assert first.status_code == second.status_code == 302
    assert Report.objects.count() == 1


def test_reports_of_one_post_by_different_volunteers_join_one_case(client, volunteer, sign_in):
    client.post(reverse("reports:new"), report_form_data(post_url="https://old.reddit.com/r/a/comments/b/c/"))
    client.logout()
    sign_in(Role.VOLUNTEER)
    client.post(reverse("reports:new"), report_form_data(post_url="https://www.reddit.com/r/a/comments/b/c"))
    assert Report.objects.count() == 2
    case = Case.objects.get()
    assert case.reporter_count == 2


def test_without_a_link_the_same_text_from_the_same_author_is_the_same_post(client, volunteer, sign_in):
    data = {"post_url": "", "platform": "telegram", "author_handle": "@channel", "captured_text": "Same words"}
    client.post(reverse("reports:new"), report_form_data(**data))
    client.logout()
    sign_in(Role.VOLUNTEER)
    client.post(reverse("reports:new"), report_form_data(**data))
    client.post(reverse("reports:new"), report_form_data(**{**data, "captured_text": "Other words"}))
    assert Case.objects.count() == 2


def test_the_hourly_limit_is_explained(client, volunteer, settings):
    settings.REPORTS_PER_HOUR = 2
    for number in range(2):
        client.post(reverse("reports:new"), report_form_data(post_url=f"https://x.com/a/status/{number}"))
    response = client.post(reverse("reports:new"), report_form_data(post_url="https://x.com/a/status/3"))
    assert response.status_code == 200
    assert "You have sent 2 reports in the last hour" in response.content.decode()
    assert Report.objects.count() == 2


def test_html_and_hidden_characters_are_shown_safely(client, volunteer):
    ReportFactory(reporter=volunteer, captured_text="<script>alert('x')</script> abc\u202egnp.exe \u200bhidden")
    page = client.get(reverse("reports:mine")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "\u202e" not in page and "\u200b" not in page
    assert "[U+202E]" in page and "[U+200B]" in page
    assert Report.objects.get().captured_text.count("\u202e") == 1, "the evidence itself keeps the character"


def test_my_reports_lists_only_my_own_with_their_outcome(client, volunteer):
    from triage.casework import case_no_further_action

    mine = ReportFactory(reporter=volunteer, captured_text="my own report text")
    ReportFactory(captured_text="someone else's report text")
    page = client.get(reverse("reports:mine")).content.decode()
    assert "my own report text" in page
    assert "someone else" not in page
    assert "Waiting for scoring" in page
    Report.objects.filter(pk=mine.pk).update(score_status=Report.ScoreStatus.SCORED, score=0.9)
    assert "Under review" in client.get(reverse("reports:mine")).content.decode()
    case_no_further_action(
        case=mine.case,
        officer=UserFactory(role=Role.OFFICER),
        reason="Offensive, not criminal.",
        note_for_volunteers="Not against the law.",
    )
    page = client.get(reverse("reports:mine")).content.decode()
    assert "No further action" in page and "Not against the law." in page
    assert "Offensive, not criminal." not in page, "the officer's own reason stays on the timeline"


def test_my_reports_runs_a_fixed_number_of_queries(client, volunteer, django_assert_max_num_queries):
    for _ in range(15):
        ReportFactory(reporter=volunteer)
    # Reports, their categories, questions, replies logged, the training overview and the navigation bar's count
    # of unread notifications: 12, however many reports.
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:mine"))


def test_counter_speech_is_logged_listed_and_linked_to_the_case(client, volunteer, sign_in):
    report = ReportFactory(post_url="https://x.com/a/status/77", normalised_url="https://x.com/a/status/77")
    from reports.links import post_key

    Case.objects.filter(pk=report.case_id).update(
        post_key=post_key(normalised_url="https://x.com/a/status/77", platform="x", author_handle="", captured_text="")
    )
    response = client.post(
        reverse("reports:challenge"),
        {
            "post_url": "https://twitter.com/a/status/77",
            "reply_url": "https://x.com/me/status/78",
            "replied_at": "2026-01-02T10:30",
            "reply_text": "That is not acceptable.",
        },
    )
    assert response.status_code == 302
    logged = CounterSpeech.objects.get()
    assert logged.case_id == report.case_id and logged.volunteer == volunteer
    assert "That is not acceptable." in client.get(reverse("reports:mine")).content.decode()
    client.logout()
    sign_in(Role.OFFICER)
    page = client.get(reverse("triage:case", args=[report.case_id])).content.decode()
    assert "That is not acceptable." in page and "https://x.com/me/status/78" in page


def test_counter_speech_bad_input_is_explained_and_kept(client, volunteer):
    response = client.post(
        reverse("reports:challenge"),
        {"post_url": "javascript:alert(1)", "reply_url": "https://x.com/me/1", "replied_at": "tomorrow-ish",
         "reply_text": "kept text"},
    )  # fmt: skip
    page = response.content.decode()
    assert "That is not a web link." in page and "Give the date and time you replied" in page
    assert "kept text" in page
    assert CounterSpeech.objects.count() == 0


@pytest.mark.parametrize("size", [(9_000, 9_000), (40_000, 2_000)])
def test_a_screenshot_just_over_the_pixel_limit_is_refused_before_decoding(client, volunteer, settings, size):
    settings.SCREENSHOT_MAX_PIXELS = 1_000_000
    response = client.post(reverse("reports:new"), {**report_form_data(), "screenshot": png_bomb(*size)})
    assert "dimensions are too large" in response.content.decode()
    assert Report.objects.count() == 0


def test_an_old_copy_of_the_form_sent_with_another_post_is_not_lost(client, volunteer):
    data = report_form_data()
    client.post(reverse("reports:new"), data)
    response = client.post(reverse("reports:new"), {**data, "post_url": "https://x.com/another/status/5"})
    assert response.status_code == 200
    assert "This form was already used to send a report." in response.content.decode()
    assert data["submission_key"] not in response.content.decode(), "a fresh key to send it as a new report"
    new_key = response.context["form"].data["submission_key"]
    again = client.post(
        reverse("reports:new"), {**data, "post_url": "https://x.com/another/status/5", "submission_key": new_key}
    )
    assert again.status_code == 302
    assert Report.objects.count() == 2


def test_the_counter_speech_form_ignores_a_malformed_report_number(client, volunteer):
    assert client.get(reverse("reports:challenge"), {"report": "abc"}).status_code == 200


def test_a_port_out_of_range_is_an_invalid_link_not_an_error(client, volunteer):
    response = client.post(reverse("reports:new"), report_form_data(post_url="https://x.com:99999/a"))
    assert response.status_code == 200
    assert "That is not a web link." in response.content.decode()
    assert Report.objects.count() == 0


def test_text_is_kept_exactly_as_captured_including_surrounding_space(client, volunteer):
    client.post(reverse("reports:new"), report_form_data(captured_text="  indented\nline  "))
    assert Report.objects.get().captured_text == "  indented\nline  "


def test_a_reply_logged_before_the_post_is_reported_joins_the_case_later(client, volunteer):
    client.post(
        reverse("reports:challenge"),
        {"post_url": "https://x.com/a/status/55", "reply_url": "https://x.com/me/status/56",
         "replied_at": "2026-01-02T10:30"},
    )  # fmt: skip
    assert CounterSpeech.objects.get().case is None
    client.post(reverse("reports:new"), report_form_data(post_url="https://twitter.com/a/status/55"))
    assert CounterSpeech.objects.get().case == Report.objects.get().case


def test_a_changed_capture_time_or_author_breaks_the_evidence_check(client, volunteer):
    from datetime import timedelta

    client.post(reverse("reports:new"), report_form_data())
    report = Report.objects.get()
    assert report.evidence_intact()
    Report.objects.filter(pk=report.pk).update(captured_at=report.captured_at - timedelta(days=1))
    report.refresh_from_db()
    assert not report.evidence_intact()
    Report.objects.filter(pk=report.pk).update(captured_at=report.captured_at + timedelta(days=1), author_handle="@x")
    report.refresh_from_db()
    assert not report.evidence_intact()
