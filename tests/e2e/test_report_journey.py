"""A volunteer on a phone reports a post; an officer finds it at the top of the queue."""

import pytest

from hubsite.roles import Role
from reports.models import Report
from tests.auth import authenticator, code_now
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.factories import TEST_PASSWORD, ReportFactory, UserFactory
from tests.images import image_upload
from triage.casework import case_refer
from triage.models import Case, Force, Offence

HATEFUL = "Disabled people are parasites and should be locked away where we never have to see them."


def sign_in(page, base_url: str, username: str) -> None:
    """Both steps, through the page: the password, then (for those who have set up an app) its code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(f"{base_url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        page.get_by_text("Enter the six-digit code").wait_for()
        assert_accessible(page)
        page.get_by_label("Six-digit code from your authenticator app").fill(code_now(device))
        page.get_by_role("button", name="Continue").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_volunteer_reports_and_officer_finds_it_first(
    live_server, reference_data, active_model, new_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    screenshot = tmp_path / "post.png"
    screenshot.write_bytes(image_upload(size=(320, 200)).read())
    volunteer = UserFactory(role=Role.VOLUNTEER)
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)  # set up before; the first-sign-in journey is in test_two_step_journey
    for score in (0.2, 0.4):  # cases already waiting, scored lower
        Case.objects.filter(pk=ReportFactory(captured_text=f"older post {score}").case_id).update(score=score)

    # The volunteer, on a phone.
    page = new_page(PHONE)
    sign_in(page, live_server.url, volunteer.username)
    page.wait_for_url("**/volunteers/")
    assert page.get_by_text("Report posts").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Report a post").first.click()
    page.wait_for_url("**/reports/new/")
    assert_accessible(page)

    # A mistake first: the message appears beside the field and nothing typed is lost.
    page.get_by_label("Link to the post").fill("not a link")
    page.get_by_label("The post's text").fill(HATEFUL)
    page.get_by_label("Disability").check()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    assert page.get_by_text("That is not a web link.").is_visible()
    assert page.get_by_label("The post's text").input_value() == HATEFUL
    assert page.get_by_label("Disability").is_checked()
    assert_accessible(page)
    assert Report.objects.filter(reporter=volunteer).count() == 0

    page.get_by_label("Link to the post").fill("https://www.reddit.com/r/example/comments/abc/")
    assert page.get_by_label("Platform").input_value() == "reddit", "platform recognised as the link is typed"
    page.get_by_label("Who posted it").fill("u/example_poster")
    page.get_by_label("Screenshot").set_input_files(str(screenshot))
    page.get_by_label("It threatens violence").check()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/reports/mine/")
    assert page.get_by_text("Thank you.").is_visible()
    assert page.locator(f"#report-{Report.objects.get(reporter=volunteer).pk} .outcome").inner_text() == "Under review"
    assert_accessible(page)

    report = Report.objects.get(reporter=volunteer)
    assert report.platform == "reddit"
    assert report.score_status == Report.ScoreStatus.SCORED
    assert report.screenshot and report.threat_of_violence

    # Their own screenshot stays blurred until they choose to see it.
    thumb = page.locator(f"#report-{report.pk} img.screenshot-thumb")
    thumb.scroll_into_view_if_needed()
    assert "blur" in thumb.evaluate("img => getComputedStyle(img).filter")
    page.get_by_text("Screenshot blurred. Select it to show it.").click()
    assert thumb.evaluate("img => getComputedStyle(img).filter") == "none"
    assert thumb.evaluate("img => img.naturalWidth") == 320
    assert_accessible(page)

    # The volunteer logs the reply they made to the post.
    page.get_by_role("link", name="I replied to it").first.click()
    page.wait_for_url("**/reports/challenge/**")
    assert_accessible(page)
    assert page.get_by_label("Link to the hateful post").input_value() == report.post_url
    page.get_by_label("Link to your reply").fill("https://www.reddit.com/r/example/comments/abc/reply1/")
    page.get_by_label("When you replied").fill("2026-11-28T09:15")
    page.get_by_label("What you wrote").fill("Disabled people are our neighbours. This is hate.")
    page.get_by_role("button", name="Log my reply").click()
    page.wait_for_url("**/reports/mine/")
    assert page.get_by_text("Disabled people are our neighbours. This is hate.").is_visible()

    # The officer, at a desk.
    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, officer.username)
    desk.wait_for_url("**/triage/")
    assert_accessible(desk)
    first_row = desk.locator("#queue tbody tr").first
    assert f"Case {report.case_id}" in first_row.inner_text()
    first_row.get_by_role("link").click()
    desk.wait_for_url(f"**/triage/cases/{report.case_id}/")
    evidence = desk.locator(".evidence-text").first
    shown = evidence.evaluate(
        "node => { const copy = node.cloneNode(true);"
        " copy.querySelectorAll('.visually-hidden').forEach(hidden => hidden.remove()); return copy.textContent; }"
    )
    assert shown == HATEFUL, "the marks add nothing visible to the text"
    raised = evidence.locator("mark.pushed-up")
    assert raised.count() >= 1, "the words that raised the score are highlighted"
    assert "(raised the score)" in raised.first.text_content(), "each mark says in words what it did"
    assert desk.locator(".explanation-key").get_by_text("Raised the score").is_visible()
    assert desk.locator(".report-score strong").inner_text() in ("Low", "Medium", "High", "Very high")
    assert desk.locator(".likely-targets").is_visible()
    assert desk.get_by_text("u/example_poster").is_visible()
    assert desk.get_by_text("Stored evidence matches this hash").is_visible()
    assert desk.get_by_text("Disabled people are our neighbours. This is hate.").is_visible()
    assert desk.get_by_role("img", name=f"Screenshot of the post sent with report {report.pk}").is_visible()
    assert desk.evaluate("document.querySelector('img.screenshot').naturalWidth") == 320
    assert_accessible(desk)

    # An officer refers the case (the decision screens come later); the volunteer sees it.
    case_refer(
        case=report.case,
        officer=officer,
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Threat against disabled people.",
        note_for_volunteers="Sent to the force where the poster lives.",
    )
    page.reload()
    outcome = page.locator(f"#report-{report.pk}")
    assert outcome.locator(".outcome").inner_text() == "Referred to a police force"
    assert "Sent to the force where the poster lives." in outcome.inner_text()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_from_local_files_under_the_content_security_policy(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    page = new_page(DESKTOP)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/v1/queue/").first.wait_for()
    assert_accessible(page)
