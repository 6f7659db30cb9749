"""Server-drawn SVG charts."""

import re

import pytest

from hubsite.charts import bar_chart


def test_bars_are_scaled_to_the_largest_value_and_labelled():
    svg = bar_chart([0, 5, 10], ["a", "b", "c"], title="Reports", description="Reports per band")
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights == [0.0, 60.0, 120.0]
    assert "<title>b: 5</title>" in svg
    assert 'role="img"' in svg and "Reports per band" in svg


def test_labels_and_titles_are_escaped():
    svg = bar_chart([1], ["<script>"], title="x & y")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "x &amp; y" in svg


def test_all_zero_values_draw_empty_bars():
    svg = bar_chart([0, 0], ["a", "b"], title="Nothing yet")
    assert re.findall(r'<rect [^>]*height="([\d.]+)"', svg) == ["0.0", "0.0"]


def test_values_and_labels_must_pair_up():
    with pytest.raises(ValueError, match="same length"):
        bar_chart([1, 2], ["a"], title="t")
