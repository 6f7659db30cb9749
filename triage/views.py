from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views.generic import DetailView, ListView

from hubsite import roles
from triage.models import Case


class OfficerMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = roles.WORK_QUEUE


class QueueView(OfficerMixin, ListView):
    template_name = "triage/queue.html"
    context_object_name = "cases"
    paginate_by = 25

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).in_queue().with_reports().with_reporter_count()


class CaseDetailView(OfficerMixin, DetailView):
    template_name = "triage/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return (
            Case.objects.visible_to(self.request.user)
            .with_reports()
            .with_reporter_count()
            .prefetch_related("counter_speech__volunteer")
        )

    def get_context_data(self, **kwargs):
        from reports.models import Category

        context = super().get_context_data(**kwargs)
        context["category_names"] = dict(Category.objects.values_list("slug", "name"))
        return context
