"""An officer reads the statistics at a desktop and on a 390 × 844 phone: every chart is drawn by Chart.js from
the Hub's own static files under its CSP (no refusal, no console error), fits the screen, keeps its figures in a
table, and the page passes axe; then a range of their own days is shown, and a range that cannot be shown is
refused on the same page with what they typed kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import UserFactory
from tests.triage.test_stats import _activity
from triage import stats

# Each chart's canvas: whether Chart.js drew it, its size on screen, and how many of its pixels are painted.
CHARTS_AS_DRAWN = """() => Array.from(document.querySelectorAll("canvas[data-chart-data]")).map(canvas => {
  const box = canvas.getBoundingClientRect();
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let alpha = 3; alpha < pixels.length; alpha += 4) { if (pixels[alpha]) { painted += 1; } }
  return {id: canvas.id, drawn: Boolean(window.Chart && window.Chart.getChart(canvas)), left: box.left,
          right: box.right, width: box.width, height: box.height, painted: painted};
})"""
# Every refusal by the Content-Security-Policy, as the page's own script would hear of it.
WATCH_CSP = """window.cspRefusals = [];
document.addEventListener("securitypolicyviolation", event => {
  window.cspRefusals.push(`${event.violatedDirective} refused ${event.blockedURI || "inline"} (${event.sourceFile})`);
});"""
ALL_DRAWN = """() => {
  const canvases = Array.from(document.querySelectorAll("canvas[data-chart-data]"));
  return canvases.length > 0 && canvases.every(canvas => window.Chart && window.Chart.getChart(canvas)
    && !window.Chart.animator.running(window.Chart.getChart(canvas)));
}"""


def assert_fits(page, width: int) -> None:
    """Nothing scrolls sideways: the page is no wider than the window, nor the window than the screen (a mobile
    browser widens its layout viewport to fit a page that overflows)."""
    page_width, window_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page_width <= window_width <= width, f"{page.url} is {page_width} px wide on a {width} px screen"


def assert_charts_drawn(page, width: int) -> None:
    page.wait_for_function(ALL_DRAWN)
    assert page.evaluate("window.cspRefusals") == []
    charts = page.evaluate(CHARTS_AS_DRAWN)
    assert len(charts) == len(stats.TABLES), charts
    for chart in charts:
        assert chart["drawn"] and chart["width"] > 100 and chart["height"] > 100, chart
        assert chart["painted"] > 1000, chart
        assert chart["left"] >= 0 and chart["right"] <= width, chart


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "device",
    # The phone asks for reduced motion, the desktop does not: the charts are drawn either way.
    [DESKTOP, {**PHONE, "reduced_motion": "reduce"}],
    ids=["desktop", "phone"],
)
def test_officer_reads_the_statistics_charts_and_chooses_the_days(live_server, reference_data, new_page, device):
    officer = UserFactory(role=Role.OFFICER)
    authenticator(officer)
    _activity(3)
    width = device["viewport"]["width"]

    page = new_page(device)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, officer.username)
    page.wait_for_url("**/triage/")
    page.goto(f"{live_server.url}/triage/stats/")
    assert_charts_drawn(page, width)
    assert_fits(page, width)
    # Each chart names itself to a screen reader, and its figures are a table one step away.
    canvas = page.get_by_role("img", name="Bar chart: Reports by platform.", exact=False)
    assert "Reports: 3 in all" in canvas.get_attribute("aria-label")
    figures = page.locator("#by-platform details")
    figures.get_by_text("Show the figures").click()
    assert figures.get_by_role("table").is_visible()
    assert figures.get_by_role("row").count() == 1 + 3
    assert_accessible(page)

    # Days of their own: the charts are drawn for them, and each CSV download asks for the same days.
    today = timezone.localdate()
    since, until = today - timedelta(days=39), today
    page.get_by_label("From", exact=True).fill(since.isoformat())
    page.get_by_label("To", exact=True).fill(until.isoformat())
    page.get_by_role("button", name="Show these days").click()
    page.wait_for_url(f"**/triage/stats/?since={since.isoformat()}&until={until.isoformat()}")
    assert "(40 days)" in page.locator("#stats-period").inner_text()
    assert_charts_drawn(page, width)
    assert_fits(page, width)
    csv = page.get_by_role("link", name="Download “Reports by platform” as CSV")
    assert csv.get_attribute("href").endswith(f"by-platform.csv?since={since.isoformat()}&until={until.isoformat()}")
    assert_accessible(page)

    # A range that ends before it starts: said beside the field, with both days as typed; no chart.
    page.get_by_label("From", exact=True).fill(until.isoformat())
    page.get_by_label("To", exact=True).fill(since.isoformat())
    page.get_by_role("button", name="Show these days").click()
    page.get_by_text("The last day must be the same as the first day or after it.").wait_for()
    assert page.get_by_label("From", exact=True).input_value() == until.isoformat()
    assert page.get_by_label("To", exact=True).input_value() == since.isoformat()
    assert page.locator("canvas").count() == 0
    assert_fits(page, width)
    assert_accessible(page)
