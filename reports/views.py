from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.urls import reverse_lazy
from django.views.generic import FormView, ListView

from hubsite import roles
from reports.forms import ReportForm
from reports.models import Report
from reports.platforms import PLATFORM_DOMAINS
from reports.services import report_submit


class VolunteerMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = roles.SUBMIT_REPORT


class ReportCreateView(VolunteerMixin, FormView):
    template_name = "reports/report_form.html"
    form_class = ReportForm
    success_url = reverse_lazy("reports:mine")
    extra_context = {"platform_domains": {domain: platform.value for domain, platform in PLATFORM_DOMAINS.items()}}

    def form_valid(self, form: ReportForm):
        report = report_submit(reporter=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            f"Thank you. Report {report.pk} is saved and will be scored and reviewed by an officer.",
        )
        return super().form_valid(form)


class MyReportsView(VolunteerMixin, ListView):
    template_name = "reports/my_reports.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self):
        return (
            Report.objects.filter(reporter=self.request.user)
            .select_related("case")
            .prefetch_related("categories")
            .order_by("-created_at", "-pk")
        )
