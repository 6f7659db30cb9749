"""The statistics page, each figure drawn as a server-side SVG chart, and each figure's CSV download.

The figures are read by ``triage/stats.py``; these views choose the period, draw and export.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from hubsite import roles
from hubsite.audit import audit_record
from hubsite.charts import bar_chart
from hubsite.models import AuditEvent
from hubsite.spreadsheets import spreadsheet_safe
from triage.stats import DEFAULT_PERIOD, PERIODS, TABLES, Table


def _period(request) -> tuple[int, date, date]:
    try:
        days = int(request.GET.get("days", DEFAULT_PERIOD))
    except ValueError:
        days = DEFAULT_PERIOD
    days = days if days in PERIODS else DEFAULT_PERIOD
    until = timezone.localdate()
    return days, until - timedelta(days=days - 1), until


def _chart(table: Table) -> str:
    return bar_chart(
        [row[table.chart_column] for row in table.rows],
        table.chart_labels or [str(row[0]) for row in table.rows],
        title=table.title,
        description=f"{table.title}: {table.columns[table.chart_column]} for each {table.columns[0]}.",
        width=640,
        height=180,
    )


class StatsMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = roles.VIEW_STATISTICS


class StatsView(StatsMixin, TemplateView):
    template_name = "triage/stats.html"

    def get_context_data(self, **kwargs):
        days, since, until = _period(self.request)
        tables = [build(since, until) for build in TABLES.values()]
        return super().get_context_data(
            tables=[(table, _chart(table) if table.rows else None) for table in tables],
            days=days,
            periods=PERIODS,
            since=since,
            until=until,
            **kwargs,
        )


class StatsCsvView(StatsMixin, View):
    def get(self, request, chart: str):
        if chart not in TABLES:
            raise Http404("No such figure")
        days, since, until = _period(request)
        table = TABLES[chart](since, until)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{chart}-{since}-to-{until}.csv"'
        writer = csv.writer(response)
        writer.writerow(table.columns)
        writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in table.rows])
        audit_record(AuditEvent.Action.EXPORTED, request=request, summary=f"Statistics {chart}, {since} to {until}")
        return response
