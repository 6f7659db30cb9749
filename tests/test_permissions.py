"""Who may open what: every page and endpoint, for anonymous visitors and each role."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

ANON = "anonymous"
WHO = [ANON, *Role]

# url name (with args filled in by the test) -> expected status per person.
# 302 means "sent to sign in"; for /admin/ non-staff are sent to the admin sign-in.
MATRIX = {
    "reports:new": {ANON: 302, Role.VOLUNTEER: 200, Role.OFFICER: 403, Role.LIAISON: 403, Role.ADMIN: 403},
    "reports:mine": {ANON: 302, Role.VOLUNTEER: 200, Role.OFFICER: 403, Role.LIAISON: 403, Role.ADMIN: 403},
    "triage:queue": {ANON: 302, Role.VOLUNTEER: 403, Role.OFFICER: 200, Role.LIAISON: 403, Role.ADMIN: 403},
    "triage:case": {ANON: 302, Role.VOLUNTEER: 403, Role.OFFICER: 200, Role.LIAISON: 403, Role.ADMIN: 403},
    "api:queue": {ANON: 403, Role.VOLUNTEER: 403, Role.OFFICER: 200, Role.LIAISON: 403, Role.ADMIN: 403},
    "schema": {ANON: 403, Role.VOLUNTEER: 200, Role.OFFICER: 200, Role.LIAISON: 200, Role.ADMIN: 200},
    "api-docs": {ANON: 403, Role.VOLUNTEER: 200, Role.OFFICER: 200, Role.LIAISON: 200, Role.ADMIN: 200},
    "admin:index": {ANON: 302, Role.VOLUNTEER: 302, Role.OFFICER: 302, Role.LIAISON: 302, Role.ADMIN: 200},
    "home": {ANON: 302, Role.VOLUNTEER: 302, Role.OFFICER: 302, Role.LIAISON: 200, Role.ADMIN: 200},
    "healthz": dict.fromkeys(WHO, 200),
    "readyz": dict.fromkeys(WHO, 200),
    "login": {ANON: 200, Role.VOLUNTEER: 302, Role.OFFICER: 302, Role.LIAISON: 302, Role.ADMIN: 302},
}


def _url(name: str) -> str:
    if name == "triage:case":
        return reverse(name, args=[ReportFactory().case_id])
    return reverse(name)


@pytest.mark.parametrize("who", WHO, ids=str)
@pytest.mark.parametrize("name", MATRIX)
def test_each_page_answers_each_person_as_expected(client, name, who):
    url = _url(name)
    if who != ANON:
        client.force_login(UserFactory(role=who))
    response = client.get(url)
    assert response.status_code == MATRIX[name][who], f"{who} GET {url}"
    if response.status_code == 302 and who == ANON and name != "login":
        assert "/login/" in response["Location"]


def test_anonymous_visitors_are_sent_to_sign_in_and_back(client):
    response = client.get(reverse("reports:new"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('reports:new')}"


def test_the_matrix_covers_every_named_url():
    from django.urls import get_resolver

    def names(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if pattern.namespace == "admin":
                    continue
                yield from names(pattern, inner)
            elif pattern.name:
                yield f"{namespace}{pattern.name}"

    uncovered = set(names(get_resolver())) - set(MATRIX) - {"logout"}
    assert not uncovered, f"add these to MATRIX: {sorted(uncovered)}"


def test_sign_out_is_post_only_and_ends_the_session(client):
    client.force_login(UserFactory(role=Role.VOLUNTEER))
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("reports:mine")).status_code == 302
