"""The officers' and liaison users' API: cases, decisions, claims and referrals.

Exactly the visibility of the pages: ``Case.objects.visible_to`` and
``Referral.objects.visible_to`` decide what each person can see, and the
decision services do the writing. One view per operation.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from hubsite import roles
from hubsite.api_schema import ErrorSerializer
from hubsite.audit import audit_record, record_referral_list_read
from hubsite.models import AuditEvent
from reports.models import SEVERITY_FLAGS, Report
from triage import casework, merging, selectors
from triage.forms import QueueFilterForm
from triage.models import Case, CaseEvent, Referral
from triage.operations import CASE_OPERATIONS, REFERRAL_OPERATIONS, Operation
from triage.packages import referral_package
from triage.priority import level_of, score_band


class CanWorkQueue(BasePermission):
    message = "Only officers may read the queue."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(roles.WORK_QUEUE))


class CanSeeReferrals(BasePermission):
    message = "Only officers and force liaison users may read referrals."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.has_perm(roles.WORK_QUEUE) or user.has_perm(roles.LIAISE_FOR_FORCE))
        )


class CanLiaise(BasePermission):
    message = "Only a force's liaison users may answer for the force."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(roles.LIAISE_FOR_FORCE))


class CaseSummarySerializer(serializers.ModelSerializer):
    priority_level = serializers.SerializerMethodField()
    score_band = serializers.SerializerMethodField()
    severity = serializers.SerializerMethodField()
    claimed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:case", lookup_field="pk")
    page = serializers.HyperlinkedIdentityField(view_name="triage:case", lookup_field="pk")
    # One report per reporter per case, so the number of reports is the number of reporters.
    report_count = serializers.IntegerField(source="reporter_count", read_only=True)
    categories = serializers.SerializerMethodField()
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="For a merged case: the case its reports, reporters and counter-speech went to.",
    )
    platform_report_open = serializers.BooleanField(
        read_only=True,
        help_text="Reported to the platform and its answer not yet recorded: operation platform-outcome stays open.",
    )

    class Meta:
        model = Case
        ref_name = "CaseSummary"
        fields = [
            "id",
            "url",
            "page",
            "status",
            "priority",
            "priority_level",
            "priority_reasons",
            "score",
            "score_band",
            "reporter_count",
            "report_count",
            "platform",
            "categories",
            "severity",
            "claimed_by",
            "platform_reported_at",
            "platform_outcome",
            "platform_report_open",
            "merged_into",
            "created_at",
        ]

    def get_priority_level(self, case: Case) -> str:
        return level_of(case.priority)

    def get_score_band(self, case: Case) -> str:
        return score_band(case.score)

    def get_severity(self, case: Case) -> list[str]:
        return [flag for flag in SEVERITY_FLAGS if getattr(case, flag)]

    def get_categories(self, case: Case) -> list[str]:
        """The categories the reporters tagged (needs ``reported_categories`` prefetched)."""
        return sorted(category.slug for category in case.reported_categories.all())


def _query_parameters() -> list[OpenApiParameter]:
    form = QueueFilterForm()
    return [
        OpenApiParameter(name, str, description=f"{field.label or name.capitalize()}; as on the queue page.")
        for name, field in form.fields.items()
    ]


class CaseListApi(ListAPIView):
    """Cases, with the queue page's filters and sorts (open cases by priority unless told otherwise)."""

    permission_classes = [CanWorkQueue]
    serializer_class = CaseSummarySerializer

    def get_queryset(self):
        filters = QueueFilterForm(self.request.query_params)
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors)
        return selectors.case_list(viewer=self.request.user, **filters.cleaned_data)

    @extend_schema(operation_id="cases_list", summary="List cases", parameters=_query_parameters())
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class QueueListApi(CaseListApi):
    """The officers' queue: open cases, highest priority first (the default view of ``cases``)."""

    @extend_schema(operation_id="queue_list", summary="List the officers' queue", parameters=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.case_list(viewer=self.request.user)


class ReferralSerializer(serializers.ModelSerializer):
    force = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    offences = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:referral", lookup_field="pk")

    class Meta:
        model = Referral
        fields = [
            "id",
            "url",
            "case",
            "force",
            "offences",
            "summary",
            "status",
            "overdue",
            "sent_at",
            "acknowledged_at",
            "answered_at",
            "crime_reference",
            "decline_reason",
            "outcome_group",
            "outcome",
            "outcome_at",
        ]

    def get_overdue(self, referral: Referral) -> bool:
        return referral.is_overdue()


class CaseReportSerializer(serializers.ModelSerializer):
    reported_by = serializers.SerializerMethodField()
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Report
        ref_name = "CaseReport"
        fields = [
            "id",
            "reported_by",
            "post_url",
            "platform",
            "author_handle",
            "captured_text",
            "captured_at",
            "categories",
            *SEVERITY_FLAGS,
            "evidence_sha256",
            "score",
            "category_scores",
            "explanation",
            "model_version",
        ]

    def get_reported_by(self, report: Report) -> str:
        return report.reported_by


class CaseEventSerializer(serializers.ModelSerializer):
    who = serializers.CharField(source="actor_label")
    shared_with_force = serializers.BooleanField(source="for_force", read_only=True)

    class Meta:
        model = CaseEvent
        ref_name = "CaseEvent"
        fields = ["kind", "who", "note", "shared_with_force", "created_at"]


class CaseDetailApi(APIView):
    permission_classes = [CanWorkQueue]

    class OutputSerializer(CaseSummarySerializer):
        reports = CaseReportSerializer(many=True, read_only=True)
        timeline = CaseEventSerializer(source="events", many=True, read_only=True)
        referrals = ReferralSerializer(many=True, read_only=True)

        class Meta(CaseSummarySerializer.Meta):
            ref_name = "CaseDetail"
            fields = [*CaseSummarySerializer.Meta.fields, "note_for_volunteers", "reports", "timeline", "referrals"]

    @extend_schema(operation_id="case_detail", summary="A case with its reports, timeline and referrals",
                   responses=OutputSerializer)  # fmt: skip
    def get(self, request, pk: int):
        case = get_object_or_404(selectors.case_detail(viewer=request.user), pk=pk)
        audit_record(AuditEvent.Action.CASE_VIEWED, target=case, request=request, summary="Through the API")
        return Response(self.OutputSerializer(case, context={"request": request}).data)


def _refused(error: casework.CaseWorkError) -> Response:
    return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)


# Both answer with the case (a release too, not an empty 204), or 409 naming why not.
_CLAIM_RESPONSES = {
    200: CaseSummarySerializer,
    409: OpenApiResponse(ErrorSerializer, description="Held by another officer, or not yours to release."),
}


class CaseClaimApi(APIView):
    """Claim a case (POST) or release it (DELETE). Of two officers claiming at once one wins; the other gets 409."""

    permission_classes = [CanWorkQueue]

    @extend_schema(operation_id="case_claim", summary="Claim a case", request=None, responses=_CLAIM_RESPONSES)
    def post(self, request, pk: int):
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
        try:
            case = casework.case_claim(case=case, officer=request.user)
        except casework.CaseWorkError as error:
            return _refused(error)
        return Response(CaseSummarySerializer(case, context={"request": request}).data)

    @extend_schema(operation_id="case_release", summary="Release a case you hold", responses=_CLAIM_RESPONSES)
    def delete(self, request, pk: int):
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
        try:
            case = casework.case_release(case=case, officer=request.user)
        except casework.CaseWorkError as error:
            return _refused(error)
        return Response(CaseSummarySerializer(case, context={"request": request}).data)


# The date the multiplexed endpoints below were deprecated for one endpoint per operation (RFC 9745's
# Deprecation header gives it as a Unix time). They stay for one release.
DEPRECATED_ON = datetime(2026, 12, 3, tzinfo=UTC)


def _deprecated(response: Response, successor: str | None) -> Response:
    response["Deprecation"] = f"@{int(DEPRECATED_ON.timestamp())}"
    if successor:
        response["Link"] = f'<{successor}>; rel="successor-version"'
    return response


def _carried_out(operation: Operation, target, request) -> Response:
    """Read ``operation``'s input from the request and carry it out on ``target``: what every operation's
    endpoint does. A refusal says why, with 400."""
    given = operation.input(data=request.data)
    given.is_valid(raise_exception=True)
    try:
        result = operation.carry_out(target, request.user, dict(given.validated_data))
    except casework.CaseWorkError as error:
        return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
    if operation.on == "case":
        target.refresh_from_db()
        return Response(CaseSummarySerializer(target, context={"request": request}).data)
    return Response(ReferralSerializer(result, context={"request": request}).data)


def _operation_id(operation: Operation) -> str:
    return f"{operation.on}_{operation.name.replace('-', '_')}"


class CaseOperationApi(APIView):
    """One operation on a case (triage/operations.py), with the page's rules and the same timeline."""

    operation: Operation

    def post(self, request, pk: int):
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
        return _carried_out(self.operation, case, request)


class ReferralOperationApi(APIView):
    """One answer of the force to a referral, by its liaison (triage/operations.py)."""

    operation: Operation

    def post(self, request, pk: int):
        referral = get_object_or_404(selectors.referrals(viewer=request.user), pk=pk)
        return _carried_out(self.operation, referral, request)


# The permission an operation names (operations.py), as the API checks it.
PERMISSION_CLASSES = {roles.WORK_QUEUE: CanWorkQueue, roles.LIAISE_FOR_FORCE: CanLiaise}


def _operation_view(operation: Operation) -> type[APIView]:
    """The endpoint of one operation: its input, its permission and its answer, all from the operation."""
    base, answer = (
        (CaseOperationApi, CaseSummarySerializer)
        if operation.on == "case"
        else (ReferralOperationApi, ReferralSerializer)
    )
    name = "".join(part.capitalize() for part in operation.name.split("-"))
    attributes = {
        "operation": operation,
        "permission_classes": [PERMISSION_CLASSES[operation.permission]],
        "__doc__": operation.summary,
    }
    view = type(f"{operation.on.capitalize()}{name}Api", (base,), attributes)
    schema = extend_schema(
        operation_id=_operation_id(operation), summary=operation.summary, request=operation.input, responses=answer
    )
    return extend_schema_view(post=schema)(view)


def _alias_input(name: str, choice: str, operations: dict[str, Operation], help_text: str):
    """The deprecated endpoint's input as its schema shows it: the choice of operation, then every field any
    operation takes, with the widest limit any gives it (each operation's own input validates them)."""
    names = [key.replace("-", "_") for key in operations]
    fields = {choice: serializers.ChoiceField(choices=names, help_text=help_text)}
    for operation in operations.values():
        for field_name, field in operation.input._declared_fields.items():
            known = fields.get(field_name)
            if known is None or (getattr(field, "max_length", None) or 0) > (getattr(known, "max_length", None) or 0):
                fields[field_name] = copy.deepcopy(field)
    return type(name, (serializers.Serializer,), {**fields, "Meta": type("Meta", (), {"ref_name": name})})


def _alias_choice(choice: str, operations: dict[str, Operation]) -> type[serializers.Serializer]:
    """What a deprecated endpoint reads first: which operation, by its name with underscores or hyphens."""
    return type(
        f"{choice.capitalize()}Choice",
        (serializers.Serializer,),
        {choice: serializers.ChoiceField(choices=list(operations))},
    )


def _through_alias(chooser, operations, target, request, successor: str) -> Response:
    """What a deprecated endpoint does: the operation it names, carried out as its own endpoint would, every
    answer (refusals included) with the Deprecation header and a link to that endpoint."""
    (choice,) = chooser._declared_fields
    name = None
    try:
        sent = request.data.get(choice) if isinstance(request.data, dict) else None
        given = chooser(data={} if sent is None else {choice: str(sent).replace("_", "-")})
        given.is_valid(raise_exception=True)
        name = given.validated_data[choice]
        response = _carried_out(operations[name], target, request)
    except serializers.ValidationError as error:
        response = Response(error.detail, status=status.HTTP_400_BAD_REQUEST)
    return _deprecated(response, reverse(successor.format(name=name), args=[target.pk]) if name else None)


class CaseDecisionApi(APIView):
    """Deprecated: one endpoint per operation replaces it (``/api/v1/cases/{id}/<operation>/``). Kept for one
    release; it answers as before, with a ``Deprecation`` header and a link to the operation's own endpoint."""

    permission_classes = [CanWorkQueue]
    InputSerializer = _alias_input(
        "CaseDecision",
        "decision",
        CASE_OPERATIONS,
        "The operation, with underscores: dismiss, no_action, request_info, report_to_platform, platform_outcome, "
        "refer or note. The other fields are those of the operation's own endpoint.",
    )
    Chooser = _alias_choice("decision", CASE_OPERATIONS)

    @extend_schema(operation_id="case_decide", summary="Decide on a case (deprecated: use the operation's own "
                   "endpoint)", request=InputSerializer, responses=CaseSummarySerializer, deprecated=True)  # fmt: skip
    def post(self, request, pk: int):
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
        return _through_alias(self.Chooser, CASE_OPERATIONS, case, request, "api:case-{name}")


class CaseMergeApi(APIView):
    """Merge this case into another about the same post or incident (triage/merging.py).

    Its reports move to the other case, with their reporters, counter-speech and questions; this case closes as
    merged, pointing at the other; both timelines say so and the audit log records it. Refused with 400 and the
    reason, changing nothing: a case into itself, into a closed or merged case, a closed case, a case waiting
    for the platform's answer, a case another officer is working on.
    """

    permission_classes = [CanWorkQueue]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CaseMerge"

        into = serializers.IntegerField(
            min_value=1, max_value=2**63 - 1, help_text="The number of the case this one is merged into; it survives."
        )
        reason = serializers.CharField(
            max_length=2000, help_text="Why they are the same post or incident; shown on both timelines."
        )

    @extend_schema(
        operation_id="case_merge",
        summary="Merge a case into another",
        request=InputSerializer,
        responses={
            200: OpenApiResponse(CaseSummarySerializer, description="Merged: the surviving case."),
            400: OpenApiResponse(
                inline_serializer("CaseMergeRefused", {"detail": serializers.CharField(required=False)}),
                description="Refused: ``detail`` (or the field named) says why. Nothing was changed.",
            ),
            403: OpenApiResponse(description="Only officers may merge cases."),
            404: OpenApiResponse(description="There is no such case."),
        },
    )
    def post(self, request, pk: int):
        cases = Case.objects.visible_to(request.user)
        case = get_object_or_404(cases, pk=pk)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        into = cases.filter(pk=given.validated_data["into"]).first()
        if into is None:
            return Response(
                {"into": [f"There is no case {given.validated_data['into']}."]}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            survivor = merging.case_merge(
                case=case, into=into, officer=request.user, reason=given.validated_data["reason"]
            )
        except casework.CaseWorkError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(CaseSummarySerializer(survivor, context={"request": request}).data)


class ReferralListApi(ListAPIView):
    """Referrals: every one for officers, their own force's for a liaison user."""

    permission_classes = [CanSeeReferrals]
    serializer_class = ReferralSerializer

    def get_queryset(self):
        return selectors.referrals(viewer=self.request.user)

    def paginate_queryset(self, queryset):
        # Recorded here, where the page's referrals are known, rather than after the whole response is built.
        page = super().paginate_queryset(queryset)
        if page is not None:
            number = self.paginator.page.number
            record_referral_list_read(request=self.request, referrals=page, how="Through the API", page=number)
        return page

    @extend_schema(operation_id="referrals_list", summary="List referrals")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReferralDetailApi(APIView):
    """A referral's package: evidence with hashes, the timeline, volunteers by pseudonym only."""

    permission_classes = [CanSeeReferrals]

    @extend_schema(operation_id="referral_package", summary="A referral package",
                   responses=inline_serializer("ReferralPackage", {"referral": serializers.DictField(),
                                                                   "case": serializers.DictField(),
                                                                   "evidence": serializers.ListField(),
                                                                   "timeline": serializers.ListField()}))  # fmt: skip
    def get(self, request, pk: int):
        referral = get_object_or_404(selectors.referrals(viewer=request.user), pk=pk)
        audit_record(AuditEvent.Action.REFERRAL_VIEWED, target=referral, request=request, summary="Through the API")
        return Response(referral_package(referral, viewer=request.user))


class ReferralAnswerApi(APIView):
    """Deprecated: one endpoint per answer replaces it (``/api/v1/referrals/{id}/<operation>/``). Kept for one
    release; it answers as before, with a ``Deprecation`` header and a link to the answer's own endpoint."""

    permission_classes = [CanLiaise]
    InputSerializer = _alias_input(
        "ReferralAnswer",
        "step",
        REFERRAL_OPERATIONS,
        "The answer, with underscores: acknowledge, accept, decline, outcome or correct_reference. The other "
        "fields are those of the answer's own endpoint.",
    )
    Chooser = _alias_choice("step", REFERRAL_OPERATIONS)

    @extend_schema(operation_id="referral_answer", summary="Answer a referral for the force (deprecated: use the "
                   "answer's own endpoint)", request=InputSerializer, responses=ReferralSerializer,
                   deprecated=True)  # fmt: skip
    def post(self, request, pk: int):
        referral = get_object_or_404(selectors.referrals(viewer=request.user), pk=pk)
        return _through_alias(self.Chooser, REFERRAL_OPERATIONS, referral, request, "api:referral-{name}")


CASE_OPERATION_APIS = {name: _operation_view(operation) for name, operation in CASE_OPERATIONS.items()}
REFERRAL_OPERATION_APIS = {name: _operation_view(operation) for name, operation in REFERRAL_OPERATIONS.items()}
