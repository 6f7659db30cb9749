"""The statistics page, each figure drawn as a chart in the browser with its table, and each figure's CSV.

The figures are read by ``triage/stats.py`` for the period chosen (``StatsPeriodForm``: a preset or the
reader's own days); ``triage/stats_charts.py`` turns each into its chart's data, which the page embeds for
``static/js/charts.js`` to draw with Chart.js.
"""

from __future__ import annotations

import csv

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from hubsite import roles
from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from hubsite.spreadsheets import spreadsheet_safe
from triage.forms import StatsPeriodForm
from triage.stats import PERIODS, TABLES, Period
from triage.stats_charts import chart_for


def _period_form(request) -> StatsPeriodForm:
    return StatsPeriodForm(request.GET, today=timezone.localdate())


def _query(period: Period) -> str:
    """The query string that shows ``period`` again: on the page's links and its CSV downloads."""
    if period.preset:
        return urlencode({"days": period.preset})
    return urlencode({"since": period.since.isoformat(), "until": period.until.isoformat()})


class StatsMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = roles.VIEW_STATISTICS


class StatsView(StatsMixin, TemplateView):
    template_name = "triage/stats.html"

    def get_context_data(self, **kwargs):
        form = _period_form(self.request)
        figures = []
        if form.is_valid():
            period = form.period
            for build in TABLES.values():
                table = build(period.since, period.until)
                figures.append((table, chart_for(table)))
            if period.preset:
                # The preset's days fill the fields, ready to be moved.
                form = StatsPeriodForm(initial={"since": period.since, "until": period.until}, today=form.today)
        else:
            period = None
        return super().get_context_data(
            form=form,
            period=period,
            period_query=_query(period) if period else "",
            periods=PERIODS,
            figures=figures,
            **kwargs,
        )


class StatsCsvView(StatsMixin, View):
    def get(self, request, chart: str):
        if chart not in TABLES:
            raise Http404("No such figure")
        form = _period_form(request)
        if not form.is_valid():
            problems = " ".join(message for messages in form.errors.values() for message in messages)
            return HttpResponseBadRequest(problems, content_type="text/plain; charset=utf-8")
        since, until = form.period.since, form.period.until
        table = TABLES[chart](since, until)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{chart}-{since}-to-{until}.csv"'
        writer = csv.writer(response)
        writer.writerow(table.columns)
        writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in table.rows])
        audit_record(AuditEvent.Action.EXPORTED, request=request, summary=f"Statistics {chart}, {since} to {until}")
        return response
