"""A volunteer on a phone reports a post shared from another app, or opened from a link: the form is filled in,
and nothing is saved until they press send."""

import pytest

from hubsite.roles import Role
from reports.models import Report
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import UserFactory
from tests.images import image_upload

STATUS = "https://x.com/someone/status/123"
HATEFUL = "Disabled people are parasites and should be locked away."
SHARED_POST = "https://www.reddit.com/r/example/comments/abc/"

# What a phone's share sheet sends: a multipart post without the Hub's CSRF token, as the operating system makes it.
SHARE_SHEET_POST = """([action, text, title]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.enctype = "multipart/form-data";
  form.action = action;
  for (const [name, value] of [["title", title], ["text", text], ["url", ""]]) {
    const input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value;
    form.append(input);
  }
  const file = document.createElement("input");
  file.type = "file"; file.name = "screenshot"; file.id = "shared-file";
  form.append(file);
  document.body.append(form);
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_volunteer_reports_a_shared_post_from_a_phone(
    live_server, reference_data, active_model, new_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    picture = tmp_path / "shared.png"
    picture.write_bytes(image_upload(size=(120, 80)).read())
    volunteer = UserFactory(role=Role.VOLUNTEER)
    page = new_page(PHONE)
    sign_in(page, live_server.url, volunteer.username)
    page.wait_for_url("**/volunteers/")
    assert page.locator("#bookmarklet").get_attribute("href").startswith("javascript:")
    assert page.get_by_text("Drag this button to your browser’s bookmarks bar").is_visible()

    # The app is installable: its manifest is ours and declares where shared posts go.
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(answer => answer.json())")
    assert manifest["display"] == "standalone" and manifest["share_target"]["action"] == "/reports/share/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert page.evaluate("navigator.serviceWorker.ready.then(registration => registration.scope)") == (
        f"{live_server.url}/"
    )

    # A link opened with the post in its address (as the bookmarklet does) fills in the form.
    page.goto(f"{live_server.url}/reports/new/?url={STATUS}&text={HATEFUL.replace(' ', '+')}")
    assert page.get_by_label("Link to the post").input_value() == STATUS
    assert page.get_by_label("The post's text").input_value() == HATEFUL
    assert page.get_by_label("Platform").input_value() == "x"
    assert page.get_by_text("Check what was filled in.").is_visible()
    assert_accessible(page)
    assert Report.objects.count() == 0, "nothing is saved by opening the form"
    page.get_by_label("Disability").check()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/reports/mine/")
    assert page.get_by_text("Thank you.").is_visible()
    report = Report.objects.get(reporter=volunteer)
    assert (report.post_url, report.platform, report.captured_text) == (STATUS, "x", HATEFUL)

    # The share sheet: another app posts the link inside the text, with a screenshot.
    page.evaluate(SHARE_SHEET_POST, ["/reports/share/", f"{HATEFUL} {SHARED_POST}", "A post on Reddit"])
    page.set_input_files("#shared-file", str(picture))
    page.evaluate("document.getElementById('shared-file').form.submit()")
    page.wait_for_url("**/reports/share/")
    assert page.get_by_label("Link to the post").input_value() == SHARED_POST
    assert page.get_by_label("The post's text").input_value() == HATEFUL
    assert page.get_by_label("Platform").input_value() == "reddit"
    assert page.get_by_text("The picture you shared will be sent with the report").is_visible()
    assert_accessible(page)
    assert Report.objects.count() == 1, "nothing more is saved until the volunteer sends it"

    page.get_by_label("Disability").check()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/reports/mine/")
    shared = Report.objects.filter(reporter=volunteer).exclude(pk=report.pk).get()
    assert shared.platform == "reddit" and shared.captured_text == HATEFUL and shared.screenshot
    thumb = page.locator(f"#report-{shared.pk} img.screenshot-thumb")
    thumb.scroll_into_view_if_needed()
    loaded = "img => img.complete ? img.naturalWidth : new Promise(done => img.onload = () => done(img.naturalWidth))"
    assert thumb.evaluate(loaded) == 120, "the shared picture, sent with the report"
    assert_accessible(page)

    # The service worker kept static files only: no page, and none of the case data shown on them.
    kept = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(name => caches.open(name)"
        ".then(cache => cache.keys())))).then(lists => lists.flat().map(request => new URL(request.url).pathname))"
    )
    assert kept, "the static files the pages used were kept"
    assert all(path.startswith("/static/") for path in kept), kept
