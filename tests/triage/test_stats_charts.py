"""Each statistics figure as its chart is drawn (triage/stats_charts.py): the data the browser gets, the sentence
a screen reader hears, and the box's height."""

from triage.stats import Table
from triage.stats_charts import chart_for


def test_a_table_without_rows_has_no_chart():
    assert chart_for(Table("by-platform", "Reports by platform", ["platform", "reports"])) is None


def test_a_bar_chart_plots_its_column_by_the_first_and_says_what_it_shows():
    table = Table("by-platform", "Reports by platform", ["platform", "reports"], [["Reddit", 2], ["X (Twitter)", 5]])
    chart = chart_for(table)
    assert chart.data == {
        "kind": "bar",
        "horizontal": True,
        "stacked": False,
        "labels": ["Reddit", "X (Twitter)"],
        "fullLabels": ["Reddit", "X (Twitter)"],
        "categoryName": "platform",
        "valueName": "reports",
        "valueMax": None,
        "decimals": 0,
        "series": [{"name": "reports", "values": [2, 5]}],
    }
    assert chart.summary == (
        "Bar chart: Reports by platform. Reports: 7 in all, most for X (Twitter) (5). "
        "Every figure is in the table under “Show the figures”."
    )
    assert chart.css_class == "chart-box chart-box-s"
    assert chart.slug == "by-platform" and chart.data_id == "by-platform-data"


def test_several_series_each_have_their_total_and_short_names_stay_on_the_axis():
    table = Table(
        "referrals",
        "Referrals by force and where they stand",
        ["force", "referrals", "sent", "accepted"],
        [["Kent Police", 3, 1, 2], ["Police Service of Northern Ireland", 1, 1, 0]],
        chart_columns=[2, 3],
        stacked=True,
        value_name="referrals",
        chart_labels=["Kent", "PSNI"],
    )
    chart = chart_for(table)
    assert chart.data["labels"] == ["Kent", "PSNI"]
    assert chart.data["fullLabels"] == ["Kent Police", "Police Service of Northern Ireland"]
    assert chart.data["series"] == [{"name": "sent", "values": [1, 1]}, {"name": "accepted", "values": [2, 0]}]
    assert chart.data["valueName"] == "referrals" and chart.data["stacked"]
    assert "Sent: 2 in all, most for Kent Police (1); accepted: 2 in all, most for Kent Police (2)." in chart.summary


def test_a_series_of_zeros_is_said_to_be_none():
    table = Table("first-decision", "Time to decide", ["time taken", "cases"], [["under 1 h", 0]], horizontal=False)
    assert "Cases: none." in chart_for(table).summary


def test_more_bars_across_the_page_make_a_taller_box():
    def box(rows: int, **kwargs) -> str:
        return chart_for(Table("t", "T", ["name", "n"], [[f"row {i}", i] for i in range(rows)], **kwargs)).size

    sizes = [box(n) for n in (1, 4, 5, 8, 9, 14, 15, 24, 25, 46)]
    assert sizes == ["s", "s", "m", "m", "l", "l", "xl", "xl", "xxl", "xxl"]
    assert box(90, horizontal=False) == "m"
