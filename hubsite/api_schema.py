"""The OpenAPI schema documents the errors every endpoint can answer, not only its successes.

drf-spectacular lists the responses a view declares; the refusals DRF makes on every view (403 for no or the
wrong sign-in, 404 for an unknown id or page, 400 for a body or filter that does not validate, 429 when
throttled) were missing, so a client reading the schema could not expect them (and schemathesis, in
tests/test_api_schema.py, flagged them). A view's own declaration of a status wins.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong, in words.")

    class Meta:
        ref_name = "Error"


_BODY_METHODS = {"POST", "PUT", "PATCH"}


class HubAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._refusals().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _refusals(self) -> dict[str, OpenApiResponse]:
        refusals = {
            "403": OpenApiResponse(ErrorSerializer, description="Not signed in, or this role may not do this."),
        }
        # Where token authentication comes first (the partner API), DRF answers a missing or bad token 401.
        authenticators = self.view.get_authenticators()
        if authenticators and authenticators[0].authenticate_header(getattr(self.view, "request", None)):
            refusals["401"] = OpenApiResponse(
                ErrorSerializer, description="No token, or a token that is wrong or was revoked."
            )
            refusals["403"] = OpenApiResponse(ErrorSerializer, description="This account may not do this.")
        filtered = any(
            isinstance(parameter, OpenApiParameter) and parameter.location == OpenApiParameter.QUERY
            for parameter in self.get_override_parameters()
        )
        takes_body = self.method in _BODY_METHODS and self.get_request_serializer() is not None
        if takes_body or filtered:
            refusals["400"] = OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The input does not validate: each field's problems by name, or `detail`.",
            )
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None):
            refusals["404"] = OpenApiResponse(ErrorSerializer, description="No such object (or page) for you.")
        if self.view.get_throttles():
            refusals["429"] = OpenApiResponse(ErrorSerializer, description="Too many requests: retry later.")
        return refusals


class HubTokenScheme(OpenApiAuthenticationExtension):
    """Names the partner token in the schema, as Swagger UI's "Authorize" asks for it."""

    target_class = "hubsite.api_auth.HubTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner token from the Hub's admins, sent as `Token <token>` (or `Bearer <token>`).",
        }
