from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission

from hubsite import roles
from triage.models import Case


class CanWorkQueue(BasePermission):
    message = "Only officers may read the queue."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(roles.WORK_QUEUE))


class QueueListApi(ListAPIView):
    """The officers' queue: cases waiting for review, highest score first."""

    permission_classes = [CanWorkQueue]

    class OutputSerializer(serializers.ModelSerializer):
        report_count = serializers.SerializerMethodField()
        platform = serializers.SerializerMethodField()
        categories = serializers.SerializerMethodField()
        url = serializers.HyperlinkedIdentityField(view_name="triage:case", lookup_field="pk")

        class Meta:
            model = Case
            ref_name = "QueueCase"
            fields = ["id", "status", "score", "created_at", "report_count", "platform", "categories", "url"]

        def get_report_count(self, case: Case) -> int:
            return len(case.reports.all())

        def get_platform(self, case: Case) -> str:
            first = case.reports.all()[:1]
            return first[0].platform if first else ""

        def get_categories(self, case: Case) -> list[str]:
            return sorted({category.slug for report in case.reports.all() for category in report.categories.all()})

    serializer_class = OutputSerializer

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).in_queue().with_reports()

    @extend_schema(operation_id="queue_list", summary="List the officers' queue")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
