"""No request body reaches a 500: every API endpoint, sent JSON nested far too deep, answers 400 or refuses."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from hubsite.api_parsers import MAX_JSON_DEPTH, nesting_depth
from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory, partner_token
from triage.models import Force, ForceLiaison, Offence

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000


def _operations() -> list[tuple[str, str, bool]]:
    """(method, path, takes a body) for every operation the API documents."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, "requestBody" in operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_api_endpoint_is_covered():
    paths = {path for _, path, _ in _operations()}
    assert {"/api/v1/reports/", "/api/v1/cases/{id}/decisions/", "/api/v1/referrals/{id}/answer/"} <= paths
    assert len(paths) >= 9


@pytest.fixture
def people():
    """An API client for each person who may use some part of the API: the body is read only once allowed."""
    from triage.casework import case_refer

    officer, liaison, partner = (UserFactory(role=role) for role in (Role.OFFICER, Role.LIAISON, Role.PARTNER))
    force = Force.objects.filter(is_active=True).first()
    ForceLiaison.objects.create(user=liaison, force=force)
    referral = case_refer(
        case=ReportFactory().case, officer=officer, force=force, offences=Offence.objects.all()[:1], summary="x"
    )
    clients = []
    for person in (officer, liaison):
        client = APIClient()
        client.force_authenticate(person)
        clients.append(client)
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {partner_token(partner)}")
    clients.append(token_client)
    return clients, {"id": referral.case_id, "referral": referral.pk}


def test_json_nested_far_too_deep_is_a_400_on_every_endpoint(people):
    clients, ids = people
    answered_400 = set()
    for method, path, takes_body in _operations():
        target = path.replace("{id}", str(ids["referral"] if "referrals" in path else ids["id"]))
        for client in clients:
            response = client.generic(method, target, DEEP, content_type="application/json")
            assert response.status_code < 500, f"{method} {path}: {response.status_code}"
            if response.status_code == 400 and takes_body:
                body = response.json()
                assert f"nests more than {MAX_JSON_DEPTH} levels" in body["detail"], body
                answered_400.add((method, path))
    # Each operation that reads a body refused it with the reason, for the person allowed to send it.
    assert answered_400 == {(method, path) for method, path, takes_body in _operations() if takes_body}


def test_deep_nesting_within_the_decoders_limit_is_refused_too(people):
    clients, ids = people
    partner = clients[2]
    body = '{"captured_text": ' + "[" * (MAX_JSON_DEPTH + 5) + "]" * (MAX_JSON_DEPTH + 5) + "}"
    response = partner.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400 and "nests more than" in response.json()["detail"]


def test_a_body_over_the_size_limit_is_a_400_in_json(people, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    partner = people[0][2]
    body = json.dumps({"captured_text": "x" * 2000})
    response = partner.post("/api/v1/reports/", body, content_type="application/json")
    assert (
        response.status_code == 400 and response.json()["detail"] == "The request body is larger than the Hub accepts."
    )


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe not utf-8", b'{"a": NaN}', b"{", b'{"captured_text": "\\ud800"}', b"\x00"],
    ids=["bad-utf8", "nan", "truncated", "lone-surrogate", "nul"],
)
def test_other_malformed_bodies_are_a_400(people, body):
    partner = people[0][2]
    response = partner.generic("POST", "/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400, response.content


def test_nesting_depth_counts_arrays_and_objects_without_recursing():
    assert nesting_depth("text") == 0
    assert nesting_depth({"categories": ["race"]}) == 2
    assert nesting_depth([[], {"a": [1, {"b": 2}]}]) == 4
    very_deep: list = []
    for _ in range(50_000):
        very_deep = [very_deep]
    assert nesting_depth(very_deep) > MAX_JSON_DEPTH
