"""The partner API: community organisations send reports they collected, and read what became of them.

Partners authenticate with a token (``hubsite.api_auth``) or, from a browser, a session. Token
authentication comes first here, so a missing, wrong or revoked token is answered 401 with a
``WWW-Authenticate`` header, as clients expect.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from hubsite import roles
from hubsite.api_auth import HubTokenAuthentication
from hubsite.api_parsers import HubJSONParser
from hubsite.throttling import ScopedRateThrottle
from reports.evidence import clean_screenshot
from reports.models import Category, Report
from reports.platforms import Platform
from reports.rules import (
    NOT_A_WEB_LINK,
    ReportRuleError,
    captured_text_check,
    post_identity_check,
    post_url_check,
)
from triage.intake import DuplicateReport, SubmissionKeyReused, report_submit
from triage.models import Force
from triage.selectors import PartnerProgress, PartnerStatus, partner_progress, partner_reports
from volunteers.accreditation import StandingRefused

# Idempotency keys become the report's submission key, scoped to the partner.
_IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1d3c2a-8a4e-4f43-9d55-3f0c1b7e2a10")


def _force_area() -> serializers.SlugRelatedField:
    """An optional police force area, given by its slug (e.g. west-yorkshire-police)."""
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=Force.objects.filter(is_active=True), required=False, allow_null=True
    )


class CanSubmitViaApi(BasePermission):
    message = "This token may not send reports: ask the Hub's admins for a partner account."

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.has_perm(roles.SUBMIT_REPORT_VIA_API)
        )


class PartnerOutcomeSerializer(serializers.Serializer):
    decision = serializers.CharField(
        help_text="The officers' decision on the post, once made (e.g. “Referred to a police force”); empty before."
    )
    reason = serializers.CharField(help_text="Why, as the officers wrote it for the people who reported the post.")
    police_outcome = serializers.CharField(
        help_text="What the police did, once a force has recorded an outcome; empty before."
    )

    class Meta:
        ref_name = "PartnerOutcome"


class PartnerReportSerializer(serializers.ModelSerializer):
    """One report a partner's organisation sent, with where it is and what became of it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:report", lookup_field="pk")
    submitted_at = serializers.DateTimeField(source="created_at", read_only=True)
    evidence_sha256 = serializers.CharField(
        read_only=True,
        help_text="The SHA-256 digest the Hub took of the evidence when it arrived: text, link, handle, capture "
        "time and screenshot.",
    )
    sent_by = serializers.SlugRelatedField(
        source="reporter", slug_field="username", read_only=True, help_text="The organisation's account that sent it."
    )
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = Report
        ref_name = "PartnerReportRead"
        fields = ["id", "url", "post_url", "platform", "captured_at", "submitted_at", "evidence_sha256", "sent_by"]
        fields += ["status"]
        fields += ["status_label", "outcome"]

    def _progress(self, report: Report) -> PartnerProgress:
        # Worked out once per report: the three fields below read it.
        if getattr(report, "_partner_progress", None) is None:
            report._partner_progress = partner_progress(report)
        return report._partner_progress

    @extend_schema_field(serializers.ChoiceField(choices=PartnerStatus.CHOICES))
    def get_status(self, report: Report) -> str:
        return self._progress(report).status

    def get_status_label(self, report: Report) -> str:
        return self._progress(report).status_label

    @extend_schema_field(PartnerOutcomeSerializer)
    def get_outcome(self, report: Report) -> dict:
        progress = self._progress(report)
        return {"decision": progress.decision, "reason": progress.reason, "police_outcome": progress.police_outcome}


class PartnerApiMixin:
    authentication_classes = [HubTokenAuthentication, SessionAuthentication]
    permission_classes = [CanSubmitViaApi]
    throttle_classes = [ScopedRateThrottle]

    def get_queryset(self):
        return partner_reports(viewer=self.request.user)


class ReportsApi(PartnerApiMixin, ListAPIView):
    """Send one report (POST), or list the reports your organisation sent with what became of each (GET)."""

    serializer_class = PartnerReportSerializer
    parser_classes = [HubJSONParser, MultiPartParser]

    @property
    def throttle_scope(self) -> str:
        # Sending is limited more tightly than reading, each with its own count.
        return "partner-intake" if self.request.method == "POST" else "partner-read"

    @extend_schema(
        operation_id="partner_reports_list",
        summary="List your organisation's reports (partner organisations)",
        description="The reports any account of your organisation sent, newest first, each with its status "
        "(received, being assessed, decided, referred) and what became of it.",
        responses={200: PartnerReportSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    class InputSerializer(serializers.Serializer):
        post_url = serializers.URLField(
            required=False, allow_blank=True, max_length=2048, error_messages={"invalid": NOT_A_WEB_LINK}
        )
        platform = serializers.ChoiceField(choices=Platform.choices, required=False, allow_blank=True)
        captured_text = serializers.CharField(trim_whitespace=False)
        author_handle = serializers.CharField(required=False, allow_blank=True, max_length=200)
        categories = serializers.SlugRelatedField(
            slug_field="slug", many=True, queryset=Category.objects.filter(is_active=True), allow_empty=False
        )
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
        captured_at = serializers.DateTimeField(required=False)
        screenshot = serializers.FileField(required=False)
        threat_of_violence = serializers.BooleanField(required=False, default=False)
        incitement = serializers.BooleanField(required=False, default=False)
        doxxing = serializers.BooleanField(required=False, default=False)
        targets_individual = serializers.BooleanField(required=False, default=False)
        target_is_child = serializers.BooleanField(required=False, default=False)
        target_location = serializers.CharField(required=False, allow_blank=True, max_length=200)
        target_force = _force_area()
        poster_location = serializers.CharField(required=False, allow_blank=True, max_length=200)
        poster_force = _force_area()

        class Meta:
            ref_name = "PartnerReportInput"

        # The report's own rules (reports.rules) are the service's; here they only name the field at fault.
        def validate_post_url(self, url: str) -> str:
            try:
                post_url_check(url)
            except ReportRuleError as error:
                raise serializers.ValidationError(error.message) from None
            return url

        def validate_captured_text(self, text: str) -> str:
            try:
                captured_text_check(text)
            except ReportRuleError as error:
                raise serializers.ValidationError(error.message) from None
            return text

        def validate_captured_at(self, captured_at):
            if captured_at > timezone.now():
                raise serializers.ValidationError("The capture time is in the future.")
            if captured_at < timezone.now() - timedelta(days=365):
                raise serializers.ValidationError(
                    "The capture time is more than a year ago: send the time it was seen."
                )
            return captured_at

        def validate_screenshot(self, upload):
            try:
                return clean_screenshot(upload)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from None

        def validate(self, data):
            try:
                post_identity_check(
                    post_url=data.get("post_url"),
                    platform=data.get("platform"),
                    author_handle=data.get("author_handle"),
                )
            except ReportRuleError as error:
                raise serializers.ValidationError({error.field: error.message}) from None
            return data

    @extend_schema(
        operation_id="partner_report_create",
        summary="Send a report (partner organisations)",
        description="Send one report. The answer is the report as `GET /api/v1/reports/{id}/` reads it. Repeat a "
        "request with the same `Idempotency-Key` to get the first result back.",
        request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Any unique string up to 200 characters. A repeated request with the same key "
                "returns the first result instead of creating a second report.",
            ),
        ],  # fmt: skip
        responses={
            201: PartnerReportSerializer,
            400: OpenApiResponse(description="Invalid input; each field's problem is named."),
            403: OpenApiResponse(
                description="The token may not send reports, or its volunteer account is not active; why is given."
            ),
            409: OpenApiResponse(description="This partner has already reported this post; the earlier report's id."),
            422: OpenApiResponse(description="The Idempotency-Key was already used for a different post."),
            429: OpenApiResponse(
                description="Too many requests from this partner account; retry after the given time."
            ),
        },
        examples=[
            OpenApiExample(
                "A post with a link",
                request_only=True,
                value={
                    "post_url": "https://x.com/example/status/1850000000000000001",
                    "captured_text": "Text of the post exactly as seen",
                    "author_handle": "@example",
                    "categories": ["race"],
                    "threat_of_violence": True,
                    "poster_force": "west-yorkshire-police",
                },
            ),
            OpenApiExample(
                "The report as stored",
                response_only=True,
                status_codes=["201"],
                value={
                    "id": 1042,
                    "url": "https://hub.example/api/v1/reports/1042/",
                    "post_url": "https://x.com/example/status/1850000000000000001",
                    "platform": "x",
                    "captured_at": "2026-11-28T10:15:00Z",
                    "submitted_at": "2026-11-28T10:15:02Z",
                    "evidence_sha256": "3f5a…",
                    "sent_by": "tell-them-intake",
                    "status": "received",
                    "status_label": "Received",
                    "outcome": {"decision": "", "reason": "", "police_outcome": ""},
                },
            ),
        ],
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 200:
            return Response({"detail": "Idempotency-Key is longer than 200 characters."}, status=400)
        submission_key = uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{request.user.pk}:{key}") if key else None
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            submission = report_submit(
                reporter=request.user,
                partner_organisation=request.user.partner_organisation,
                submission_key=submission_key,
                **serializer.validated_data,
            )
        except DuplicateReport as duplicate:
            return Response(
                {"detail": "You have already reported this post.", "report": duplicate.existing.pk},
                status=status.HTTP_409_CONFLICT,
            )
        except ReportRuleError as broken:
            # The serializer checks the same rules first; should the two ever differ, the service's word is given.
            return Response({broken.field: [broken.message]}, status=status.HTTP_400_BAD_REQUEST)
        except StandingRefused as refused:
            return Response({"detail": refused.message}, status=status.HTTP_403_FORBIDDEN)
        except SubmissionKeyReused:
            return Response(
                {"detail": "This Idempotency-Key was already used for a different post: use a new key."},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return self._created(submission.report, replayed=not submission.created)

    def _created(self, report: Report, *, replayed: bool) -> Response:
        # Read back as the list and the detail read it, so a client parses one shape. A replayed report the
        # account may no longer read (it was moved to another organisation since) is answered as it was stored.
        report = self.get_queryset().filter(pk=report.pk).first() or report
        response = Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class ReportDetailApi(PartnerApiMixin, RetrieveAPIView):
    """One report your organisation sent, with where it is and what became of it."""

    serializer_class = PartnerReportSerializer
    throttle_scope = "partner-read"

    @extend_schema(operation_id="partner_report_detail", summary="Read one of your organisation's reports")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
