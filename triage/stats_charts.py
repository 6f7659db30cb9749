"""Each statistics figure as its chart is drawn in the browser, and in words for those who do not see it.

The page embeds ``Chart.data`` with ``json_script`` and ``static/js/stats-charts.js`` draws it with Chart.js;
the numbers are the table's own, so chart, table and CSV cannot disagree. ``Chart.summary`` is the canvas's
accessible name: what it plots, each series' total and its highest point. Every figure is in the table
beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.stats import Table

# Heights by number of bars across the page, so each bar keeps room for its name whatever the count: a CSS
# class each (static/css/hub.css), as the page's policy refuses inline styles.
_ROWS_TO_SIZE = ((4, "s"), (8, "m"), (14, "l"), (24, "xl"))


@dataclass(frozen=True)
class Chart:
    data: dict
    summary: str
    size: str

    @property
    def css_class(self) -> str:
        return f"chart-box chart-box-{self.size}"


def chart_for(table: Table) -> Chart | None:
    """The chart of ``table``, or None when it has no rows to draw."""
    if not table.rows:
        return None
    labels = table.chart_labels or [str(row[0]) for row in table.rows]
    series = [
        {"name": table.columns[column], "values": [row[column] for row in table.rows]} for column in table.chart_columns
    ]
    data = {
        "kind": table.chart_kind,
        "horizontal": table.horizontal,
        "stacked": table.stacked,
        "labels": labels,
        # Tooltips name each point in full, where the axis has a shorter name.
        "fullLabels": [str(row[0]) for row in table.rows],
        "categoryName": table.columns[0],
        "valueName": table.value_name or table.columns[table.chart_columns[0]],
        "series": series,
    }
    return Chart(data=data, summary=_summary(table, data["fullLabels"], series), size=_size(table))


def _summary(table: Table, labels: list[str], series: list[dict]) -> str:
    kind = "Line chart" if table.chart_kind == "line" else "Bar chart"
    parts = []
    for one in series:
        total = sum(one["values"])
        if total:
            highest = max(range(len(labels)), key=lambda index: one["values"][index])
            parts.append(f"{one['name']}: {total} in all, most for {labels[highest]} ({one['values'][highest]})")
        else:
            parts.append(f"{one['name']}: none")
    parts[0] = parts[0][:1].upper() + parts[0][1:]
    return f"{kind}: {table.title}. {'; '.join(parts)}. Every figure is in the table under “Show the figures”."


def _size(table: Table) -> str:
    if not table.horizontal:
        return "m"
    return next((size for limit, size in _ROWS_TO_SIZE if len(table.rows) <= limit), "xxl")
