"""An officer works the desk from the keyboard (j, k, Enter, c, ?), hears what each key did, gives a case to a
colleague, searches the queue and saves the search; on a desktop and on a 390 px phone, each page passing axe."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_phone_journey import assert_no_sideways_scroll
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from triage.models import Case, SavedFilter


def heard(page, words: str) -> None:
    """The live region says ``words`` (it is filled a moment after the key, so screen readers notice)."""
    page.wait_for_function(
        "words => document.getElementById('desk-announcer').textContent.includes(words)", arg=words, timeout=5000
    )


def three_cases() -> list[Case]:
    """Three open cases, in the queue's order: the threat first."""
    first = ReportFactory(captured_text="We will burn the mosque down", threat_of_violence=True).case
    second = ReportFactory(captured_text="Go back to where you came from", incitement=True).case
    third = ReportFactory(captured_text="A rude but lawful remark").case
    ordered = list(Case.objects.order_by("-priority", "created_at", "pk"))
    assert ordered == [first, second, third], "the journey expects the threat first"
    return ordered


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_works_the_queue_from_the_keyboard_assigns_searches_and_saves(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    colleague = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    first, second, third = three_cases()

    page = new_page(DESKTOP)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    assert_accessible(page)

    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert help_dialog.is_visible() and "Claim the chosen case" in help_dialog.inner_text()
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert not help_dialog.is_visible()
    page.get_by_role("button", name="Keyboard shortcuts").click()  # the same list without the keyboard
    assert help_dialog.is_visible()
    help_dialog.get_by_role("button", name="Close").click()

    page.keyboard.press("j")
    heard(page, f"Case {first.pk}, ")
    heard(page, "1 of 3 on this page")
    page.keyboard.press("j")
    heard(page, f"Case {second.pk}, ")
    page.keyboard.press("k")
    heard(page, f"Case {first.pk}, ")
    assert page.evaluate("document.activeElement.dataset.case") == str(first.pk)

    page.keyboard.press("c")
    page.wait_for_load_state()
    heard(page, f"Case {first.pk} is yours.")
    assert Case.objects.get(pk=first.pk).claimed_by == officer
    # The claimed case keeps the focus, so Enter opens it.
    assert page.evaluate("document.activeElement.dataset.case") == str(first.pk)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/triage/cases/{first.pk}/")

    # j on a case page opens the next case of the queue page the officer came from.
    page.keyboard.press("j")
    page.wait_for_url(f"**/triage/cases/{second.pk}/")
    assert_accessible(page)
    # Keys typed into a field stay there.
    note = page.locator("#id_note-note")
    note.fill("")
    note.press_sequentially("jkc?")
    assert note.input_value() == "jkc?" and page.url.endswith(f"/triage/cases/{second.pk}/")
    assert not page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()
    note.fill("")
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("c")
    page.wait_for_load_state()
    heard(page, f"Case {second.pk} is yours.")
    assert Case.objects.get(pk=second.pk).claimed_by == officer

    # Giving the case to a colleague.
    page.get_by_text("Give this case to a colleague").click()
    page.get_by_label("Colleague").select_option(label=colleague.username)
    page.get_by_role("button", name="Give it to them").click()
    page.wait_for_url(f"**/triage/cases/{second.pk}/")
    assert page.get_by_text(f"Case {second.pk} is now with {colleague.username}.").is_visible()
    assert page.get_by_text(f"{colleague.username} is working on this case.").is_visible()
    assert "Assigned to" in page.locator("#timeline").inner_text()
    assert Case.objects.get(pk=second.pk).claimed_by == colleague
    assert_accessible(page)

    # Searching the queue, and saving the search.
    page.get_by_role("link", name="Queue", exact=True).first.click()
    page.wait_for_url("**/triage/")
    page.get_by_label("Search", exact=True).fill("mosque")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/triage/?*q=mosque*")
    rows = page.locator("#queue tbody tr")
    assert rows.count() == 1 and f"Case {first.pk}" in rows.first.inner_text()
    page.get_by_label("Name for these filters").fill("Mosque threats")
    page.get_by_role("button", name="Save these filters").click()
    page.wait_for_url("**/triage/?*q=mosque*")
    assert page.get_by_text("Filters “Mosque threats” saved.").is_visible()
    assert SavedFilter.objects.get(owner=officer).name == "Mosque threats"
    assert_accessible(page)
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url("**/triage/")
    page.get_by_role("link", name="Mosque threats").click()
    page.wait_for_url("**/triage/?*q=mosque*")
    assert page.locator("#queue tbody tr").count() == 1
    assert third.pk


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_queue_s_shortcuts_on_a_phone(live_server, reference_data, new_page):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    first, second, _ = three_cases()

    page = new_page(PHONE)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    page.keyboard.press("j")
    heard(page, f"Case {first.pk}, ")
    page.keyboard.press("j")
    heard(page, "2 of 3 on this page")
    assert page.evaluate("document.activeElement.tagName") == "LI", "the card is chosen, not the hidden table's row"
    page.get_by_role("button", name="Keyboard shortcuts").click()
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert help_dialog.is_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    help_dialog.get_by_role("button", name="Close").click()
    # The focus went back to the button that opened the list: c asks for a case first.
    page.keyboard.press("c")
    heard(page, "Choose a case first with j or k.")
    page.keyboard.press("j")
    page.keyboard.press("j")
    heard(page, "2 of 3 on this page")
    page.keyboard.press("c")
    page.wait_for_load_state()
    heard(page, f"Case {second.pk} is yours.")
    assert Case.objects.get(pk=second.pk).claimed_by == officer
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_shortcuts_spare_unsent_text_work_from_a_ticked_box_and_can_be_turned_off(
    live_server, reference_data, new_page
):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    first, second, _ = three_cases()

    page = new_page(DESKTOP)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    # A ticked box is not a field being typed in: j still moves from it.
    page.locator(f"#select-{first.pk}").check()
    page.keyboard.press("j")
    heard(page, f"Case {second.pk}, ")

    # On a case page, a note typed but not sent keeps j, k and c from leaving the page.
    page.goto(f"{live_server.url}/triage/cases/{first.pk}/")
    page.locator("#id_note-note").fill("Half a note about the poster")
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("c")
    heard(page, "You have unsent text in a form: send or clear it first.")
    page.keyboard.press("j")
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/triage/cases/{first.pk}/")
    assert page.locator("#id_note-note").input_value() == "Half a note about the poster"
    assert Case.objects.get(pk=first.pk).claimed_by is None
    page.locator("#id_note-note").fill("")
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("c")
    page.wait_for_load_state()
    heard(page, f"Case {first.pk} is yours.")

    # Turned off from the list, the single keys do nothing, on this page and the next; the button still works.
    page.get_by_role("link", name="Queue", exact=True).first.click()
    page.wait_for_url("**/triage/")
    page.get_by_role("button", name="Keyboard shortcuts").click()
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    switch = help_dialog.get_by_role("switch", name="Use the single-key shortcuts")
    assert switch.is_checked()
    switch.uncheck()
    assert "Single-key shortcuts are off." in help_dialog.get_by_role("status").inner_text()
    assert_accessible(page)
    help_dialog.get_by_role("button", name="Close").click()
    page.reload()
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    page.keyboard.press("?")
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.dataset.case") is None
    assert page.evaluate("document.getElementById('desk-announcer').textContent") == ""
    assert not help_dialog.is_visible()
    page.get_by_role("button", name="Keyboard shortcuts").click()
    assert not switch.is_checked()
    switch.check()
    help_dialog.get_by_role("button", name="Close").click()
    page.keyboard.press("j")
    heard(page, f"Case {first.pk}, ")
