"""An officer finds two cases of one post, merges them, and reads the merge on both timelines."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from triage.models import Case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_merges_two_cases_of_one_post_and_both_timelines_say_so(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    # Opened before links were compared by post id: one X status, its poster's handle spelt two ways.
    merged = ReportFactory(post_url="https://x.com/HatefulHandle99/status/1790000000000000001").case
    survivor = ReportFactory(post_url="https://x.com/hatefulhandle99/status/1790000000000000001").case

    desk = new_page(DESKTOP)
    sign_in(desk, live_server.url, officer.username)
    desk.wait_for_url("**/triage/")
    desk.goto(f"{live_server.url}/triage/cases/{merged.pk}/")
    desk.get_by_text("Merge into another case").click()
    desk.get_by_label("Number of the case to merge this one into").fill(str(merged.pk))
    desk.get_by_label("Why they are the same post or incident").fill("The same status; the handle is spelt two ways.")
    desk.get_by_role("button", name="Check the merge").click()
    assert desk.get_by_text("A case cannot be merged into itself").is_visible()
    assert desk.get_by_label("Why they are the same post or incident").input_value() == (
        "The same status; the handle is spelt two ways."
    ), "what was typed is kept"
    assert_accessible(desk)

    desk.get_by_label("Number of the case to merge this one into").fill(str(survivor.pk))
    desk.get_by_role("button", name="Check the merge").click()
    desk.get_by_role("heading", name=f"Merge case {merged.pk} into case {survivor.pk}?").wait_for()
    compare = desk.locator("#merge-compare").inner_text()
    assert "HatefulHandle99" in compare and "hatefulhandle99" in compare
    assert Case.objects.get(pk=merged.pk).status == Case.Status.NEW, "nothing changes before the confirmation"
    assert_accessible(desk)

    desk.get_by_role("button", name=f"Merge case {merged.pk} into case {survivor.pk}").click()
    desk.wait_for_url(f"**/triage/cases/{survivor.pk}/")
    assert desk.get_by_text(f"Case {merged.pk} is merged into case {survivor.pk}.").is_visible()
    assert desk.locator("#reporter-count").inner_text() == "2 reporters"
    timeline = desk.locator("#timeline").inner_text()
    assert "Another case merged into this one" in timeline
    assert f"Case {merged.pk} was merged into this case" in timeline and "spelt two ways" in timeline
    assert_accessible(desk)

    desk.locator("#merged-here").get_by_role("link", name=f"case {merged.pk}").click()
    desk.wait_for_url(f"**/triage/cases/{merged.pk}/")
    assert f"This case was merged into case {survivor.pk}" in desk.locator("#merged-into").inner_text()
    assert desk.locator("#case-status").inner_text().startswith("Merged into another case")
    timeline = desk.locator("#timeline").inner_text()
    assert "Merged into another case" in timeline and f"Merged into case {survivor.pk}" in timeline
    assert desk.get_by_text("Merge into another case").count() == 0
    assert_accessible(desk)
    desk.locator("#merged-into").get_by_role("link", name=f"case {survivor.pk}").click()
    desk.wait_for_url(f"**/triage/cases/{survivor.pk}/")
