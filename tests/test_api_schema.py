"""The API does what its schema says, whatever it is sent: schemathesis against a live server.

Requests are generated from ``/api/schema/`` (valid and invalid ones) and sent over HTTP to a live test server:
the partner's reports (sending and reading) with a partner's token, referral answers in a liaison's session,
everything else in an officer's session (officers use the API from a signed-in browser, with both steps done:
tests/auth.py). No response may be a 5xx, and each must be one the schema documents, with the documented content
type and body.

Bounded and repeatable: deterministic generation (Hypothesis's derandomize), a few examples per operation.
Driven through schemathesis's Python API (each operation's Hypothesis strategy) rather than its pytest
integration (``schemathesis.pytest.from_fixture``), which in 4.32 reads ``Function._nodeid``, gone in pytest 9.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests
from django.conf import settings
from django.test import Client

from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.conftest import service_unavailable
from tests.factories import ReportFactory, UserFactory, partner_token

try:
    import hypothesis
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi import checks as openapi_checks

    CHECKS = [
        not_a_server_error,
        openapi_checks.status_code_conformance,
        openapi_checks.content_type_conformance,
        openapi_checks.response_schema_conformance,
    ]
except ImportError:  # pragma: no cover - requirements-dev.txt installs it
    schemathesis = None

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Generated requests per operation and kind (valid, invalid, valid with an existing id).
MAX_EXAMPLES = 15
CSRF_TOKEN = "hubschemathesistestcsrftoken0001"  # noqa: S105 - a CSRF secret for tests: 32 letters and digits


@dataclass
class ApiPeople:
    partner: requests.Session
    officer: requests.Session
    liaison: requests.Session
    case_id: int
    referral_id: int
    report_id: int

    def ids_for(self, path: str) -> int:
        if path.startswith("/api/v1/reports/"):
            return self.report_id
        return self.referral_id if path.startswith("/api/v1/referrals/") else self.case_id

    def for_path(self, path: str) -> requests.Session:
        if path.startswith("/api/v1/reports/"):
            return self.partner
        if path.endswith("/answer/"):
            return self.liaison
        return self.officer


def _browser_session(user) -> requests.Session:
    """A requests session carrying ``user``'s signed-in session cookie (both steps done), with a CSRF pair."""
    client = Client()
    sign_in_verified(client, user)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    session.cookies.set(settings.CSRF_COOKIE_NAME, CSRF_TOKEN)
    session.headers["X-CSRFToken"] = CSRF_TOKEN
    return session


@pytest.fixture
def api_people(live_server, reference_data):
    from triage.casework import case_refer
    from triage.models import Force, ForceLiaison, Offence

    officer, liaison, partner = (UserFactory(role=role) for role in (Role.OFFICER, Role.LIAISON, Role.PARTNER))
    force = Force.objects.filter(is_active=True).order_by("pk").first()
    ForceLiaison.objects.create(user=liaison, force=force)
    # Something to find: open cases, and a referral the liaison may answer.
    for text in ("first post", "second post", "third post"):
        ReportFactory(captured_text=text)
    referral = case_refer(
        case=ReportFactory().case, officer=officer, force=force, offences=Offence.objects.all()[:1], summary="Threats."
    )
    token_session = requests.Session()
    token_session.headers["Authorization"] = f"Token {partner_token(partner)}"
    people = ApiPeople(
        partner=token_session,
        officer=_browser_session(officer),
        liaison=_browser_session(liaison),
        case_id=ReportFactory(captured_text="a case to decide").case_id,
        referral_id=referral.pk,
        report_id=ReportFactory(reporter=partner, captured_text="the partner's own report").pk,
    )
    yield people
    # Kept-alive connections hold a server thread, and its database connection, open past the test.
    for session in (people.partner, people.officer, people.liaison):
        session.close()


@pytest.fixture
def api_schema(live_server, api_people):
    """The schema as the live server serves it."""
    if schemathesis is None:
        service_unavailable("schemathesis is not installed (pip install -r requirements-dev.txt)")
    return schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", headers=dict(api_people.partner.headers)
    )


def _exercise(operation, mode, *, base_url: str, session: requests.Session, statuses: set, path_parameters=None):
    """Hypothesis drives the operation's generated requests; every response is checked."""

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # the same requests on every run
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate, hypothesis.Phase.shrink],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def run(case):
        statuses.add(case.call_and_validate(base_url=base_url, session=session, checks=CHECKS).status_code)

    run()


def test_the_api_answers_as_documented_and_never_with_a_server_error(live_server, api_people, api_schema):
    failures, exercised, only_refused = [], [], []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        session, statuses = api_people.for_path(operation.path), set()
        runs = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        if "{id}" in operation.path:  # also with an id that exists, so the request gets past "not found"
            runs.append((GenerationMode.POSITIVE, {"id": api_people.ids_for(operation.path)}))
        for mode, path_parameters in runs:
            exercised.append(f"{operation.label} {mode.value}")
            try:
                _exercise(
                    operation,
                    mode,
                    base_url=live_server.url,
                    session=session,
                    statuses=statuses,
                    path_parameters=path_parameters,
                )
            # Every operation's failures are reported together; schemathesis groups its own (a BaseExceptionGroup).
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001
                failures.append(f"{operation.label} ({mode.value}, {path_parameters or 'generated ids'}):\n{failure}")
        if statuses <= {403}:
            only_refused.append(operation.label)
    assert len(exercised) >= 9 * 2, exercised
    assert not failures, "\n\n".join(failures)
    # The sessions and the token were accepted: each operation was tested past its permission check.
    assert not only_refused, f"every request was refused (403): {only_refused}"
