import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory, token_held_by
from triage.casework import case_priority_refresh
from triage.models import Case

pytestmark = pytest.mark.django_db


def test_officer_reads_the_queue_signed_in_with_both_steps():
    officer = UserFactory(role=Role.OFFICER)
    high, low = ReportFactory(), ReportFactory()
    Case.objects.filter(pk=high.case_id).update(score=0.8)
    Case.objects.filter(pk=low.case_id).update(score=0.1)
    case_priority_refresh()
    client = APIClient()
    sign_in_verified(client, officer)
    response = client.get(reverse("api:queue"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [high.case_id, low.case_id]
    assert results[0]["report_count"] == 1
    assert results[0]["categories"] == ["race"]
    assert results[0]["url"].endswith(reverse("api:case", args=[high.case_id]))
    assert results[0]["page"].endswith(reverse("triage:case", args=[high.case_id]))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.ADMIN])
def test_a_token_is_refused_to_every_role_held_to_two_step_sign_in(role):
    """A bearer token would skip the authenticator's code, so staff use the API from a two-step session."""
    from hubsite.api_auth import REFUSED_FOR_STAFF

    ReportFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_held_by(UserFactory(role=role))}")
    response = client.get(reverse("api:queue"))
    assert response.status_code == 403  # DRF answers 403, not 401, when session authentication comes first
    assert response.json()["detail"] == REFUSED_FOR_STAFF


def test_volunteer_token_is_refused():
    volunteer = UserFactory(role=Role.VOLUNTEER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_held_by(volunteer)}")
    response = client.get(reverse("api:queue"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Only officers may read the queue."


def test_a_wrong_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(reverse("api:queue")).status_code in (401, 403)


def test_queue_api_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(10):
        ReportFactory()
    client = APIClient()
    client.force_authenticate(UserFactory(role=Role.OFFICER))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("api:queue")).status_code == 200


def test_schema_is_valid_openapi(client):
    from drf_spectacular.validation import validate_schema

    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    response = client.get(reverse("schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert "/api/v1/queue/" in schema["paths"]
    assert {"/api/v1/cases/", "/api/v1/referrals/{id}/answer/"} <= set(schema["paths"])
    assert {"CaseSummary", "PaginatedCaseSummaryList", "CaseDetail", "CaseStatus"} <= set(
        schema["components"]["schemas"]
    )


def test_api_docs_use_local_static_files_only(client):
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    page = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
