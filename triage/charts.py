"""Charts drawn in the browser, and said in words for those who do not see them: one shape for every chart.

A page puts ``Chart.data`` in a ``json_script`` element beside a canvas that names it, and
``static/js/charts.js`` draws it with Chart.js (served from our own static files, under a CSP that refuses
inline script and style). ``Chart.summary`` is the canvas's accessible name; the figures it plots are in a
table beside it on every page (``Chart.rows`` gives them as the chart shows them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Heights by number of bars across the page, so each bar keeps room for its name whatever the count: a CSS
# class each (static/css/charts.css), as the pages' policy refuses inline styles.
_BARS_TO_SIZE = ((4, "s"), (8, "m"), (14, "l"), (24, "xl"))

Value = int | float | None
IN_THE_TABLE = "Every figure is in the table under “Show the figures”."


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    data: dict
    summary: str
    size: str

    @property
    def css_class(self) -> str:
        return f"chart-box chart-box-{self.size}"

    @property
    def data_id(self) -> str:
        return f"{self.slug}-data"

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """Each point's full name with its figure in each series, written as the chart writes them."""
        series = self.data["series"]
        return [
            (label, [self.figure(one["values"][index]) for one in series])
            for index, label in enumerate(self.data["fullLabels"])
        ]

    def figure(self, value: Value) -> str:
        return "–" if value is None else f"{value:.{self.data['decimals']}f}"


def chart(
    *,
    slug: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Value]]],
    category_name: str,
    value_name: str,
    kind: str = "bar",
    horizontal: bool = True,
    stacked: bool = False,
    short_labels: Sequence[str] | None = None,
    value_max: float | None = None,
    decimals: int = 0,
    summary: str = "",
) -> Chart:
    """A chart of ``series`` (name, one value per label; None where nothing was measured) against ``labels``.

    Bars run across the page when ``horizontal`` (long names stay readable on a phone); several series are
    bars side by side, or parts of one bar when ``stacked``, or lines. ``value_max`` fixes the value axis's end
    (rates from 0 to 1) where it would otherwise fit the largest value. ``summary`` is what a screen reader
    hears; without one it is each series' total and highest point, which suits counts."""
    data = {
        "kind": kind,
        "horizontal": horizontal,
        "stacked": stacked,
        "labels": list(short_labels or labels),
        # Tooltips and the table name each point in full, where the axis has a shorter name.
        "fullLabels": list(labels),
        "categoryName": category_name,
        "valueName": value_name,
        "valueMax": value_max,
        "decimals": decimals,
        "series": [{"name": name, "values": list(values)} for name, values in series],
    }
    summary = summary or _totals(kind, title, data["fullLabels"], data["series"])
    bars = len(labels) * (len(series) if kind == "bar" and not stacked else 1)
    return Chart(slug=slug, title=title, data=data, summary=summary, size=_size(bars, horizontal))


def _totals(kind: str, title: str, labels: list[str], series: list[dict]) -> str:
    parts = []
    for one in series:
        values = [value or 0 for value in one["values"]]
        total = sum(values)
        if total:
            highest = max(range(len(labels)), key=lambda index: values[index])
            parts.append(f"{one['name']}: {total} in all, most for {labels[highest]} ({values[highest]})")
        else:
            parts.append(f"{one['name']}: none")
    parts[0] = parts[0][:1].upper() + parts[0][1:]
    return f"{'Line chart' if kind == 'line' else 'Bar chart'}: {title}. {'; '.join(parts)}. {IN_THE_TABLE}"


def _size(bars: int, horizontal: bool) -> str:
    if not horizontal:
        return "m"
    return next((size for limit, size in _BARS_TO_SIZE if bars <= limit), "xxl")
