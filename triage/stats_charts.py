"""Each statistics figure as its chart (triage/charts.py): the table's own numbers, so chart, table and CSV
cannot disagree. The chart's summary, its canvas's accessible name, gives each series' total and its highest
point; every figure is in the table beside it."""

from __future__ import annotations

from triage.charts import Chart, chart
from triage.stats import Table


def chart_for(table: Table) -> Chart | None:
    """The chart of ``table``, or None when it has no rows to draw."""
    if not table.rows:
        return None
    return chart(
        slug=table.slug,
        title=table.title,
        labels=[str(row[0]) for row in table.rows],
        short_labels=table.chart_labels,
        series=[(table.columns[column], [row[column] for row in table.rows]) for column in table.chart_columns],
        category_name=table.columns[0],
        value_name=table.value_name or table.columns[table.chart_columns[0]],
        kind=table.chart_kind,
        horizontal=table.horizontal,
        stacked=table.stacked,
    )
