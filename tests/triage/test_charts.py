"""One shape for every chart drawn in the browser (triage/charts.py): rates on a fixed scale, a figure that was
not measured, the table's figures as the chart writes them, and a box tall enough for bars side by side."""

from triage.charts import chart
from triage.classifier_comparison import score_histogram_chart


def _rates(**kwargs):
    return chart(
        slug="false-alarms",
        title="False alarms per group",
        labels=["women", "muslim"],
        series=[("v-new", [0.1234, None]), ("v-old", [0.2, 0.05])],
        category_name="group",
        value_name="false-alarm rate (0 to 1)",
        value_max=1,
        decimals=3,
        **kwargs,
    )


def test_rates_end_at_one_and_keep_a_figure_that_was_not_measured_as_none():
    rates = _rates(summary="Bar chart: False alarms per group. Lower is better.")
    assert rates.data["valueMax"] == 1 and rates.data["decimals"] == 3
    assert rates.data["series"][0] == {"name": "v-new", "values": [0.1234, None]}
    assert rates.summary == "Bar chart: False alarms per group. Lower is better."


def test_the_figures_table_writes_each_figure_as_the_chart_does():
    assert _rates().rows == [("women", ["0.123", "0.200"]), ("muslim", ["–", "0.050"])]


def test_bars_side_by_side_count_each_for_the_box_s_height_and_stacked_parts_do_not():
    assert _rates().size == "s", "two groups of two bars"
    many = [f"group {i}" for i in range(5)]
    side_by_side = chart(
        slug="s", title="T", labels=many, series=[("a", [1] * 5), ("b", [1] * 5)], category_name="g", value_name="n"
    )
    stacked = chart(
        slug="s",
        title="T",
        labels=many,
        series=[("a", [1] * 5), ("b", [1] * 5)],
        category_name="g",
        value_name="n",
        stacked=True,
    )
    assert (side_by_side.size, stacked.size) == ("l", "m")


def test_a_score_histogram_counts_in_whole_numbers_with_each_band_in_words():
    counts = [3] + [0] * 9
    histogram = score_histogram_chart("scores-1-reports", "v1: scores given to reports", counts, counted="reports")
    assert histogram.data["kind"] == "bar" and not histogram.data["horizontal"]
    assert histogram.data["labels"][0] == "0.0–0.1" and histogram.data["fullLabels"][0] == "scores from 0.0 to 0.1"
    assert histogram.rows[0] == ("scores from 0.0 to 0.1", ["3"])
    assert histogram.summary.startswith(
        "Bar chart: v1: scores given to reports. Reports: 3 in all, most for scores from 0.0 to 0.1 (3)."
    )
