"""Giving a case to a colleague: the service's rules, the case page and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubsite.models import AuditEvent
from hubsite.roles import Role
from notifications.models import Kind, Notification
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.forms import AssignForm
from triage.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(role=Role.OFFICER)


@pytest.fixture
def colleague():
    return UserFactory(role=Role.OFFICER)


@pytest.fixture
def case():
    return ReportFactory().case


@pytest.mark.usefixtures("postgresql")
def test_an_officer_gives_a_case_nobody_holds_to_a_colleague_on_the_timeline_and_in_the_audit_log(
    case, officer, colleague
):
    with CaptureQueriesContext(connection) as queries:
        assigned = casework.case_assign(case=case, officer=officer, assignee=colleague)
    assert assigned.claimed_by == colleague and assigned.claimed_at is not None
    locking = [query["sql"] for query in queries if "FOR UPDATE" in query["sql"]]
    assert locking and "triage_case" in locking[0], "the case row is locked before it is written"
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.ASSIGNED)
    assert event.actor == officer and colleague.username in event.note
    audit = AuditEvent.objects.get(action=AuditEvent.Action.CASE_DECISION, detail__kind="assigned")
    assert audit.actor == officer and audit.object_id == str(case.pk)
    assert audit.detail["assignee"] == colleague.pk and audit.detail["previous_holder"] is None


def test_the_colleague_is_told_in_the_hub_and_by_e_mail_and_nobody_else_is(
    case, officer, colleague, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.HUB_BASE_URL = "https://hub.example"
    with django_capture_on_commit_callbacks(execute=True):
        casework.case_assign(case=case, officer=officer, assignee=colleague)

    [notice] = Notification.objects.all()
    assert notice.recipient == colleague and notice.kind == Kind.CASE_ASSIGNED
    assert notice.link == reverse("triage:case", args=[case.pk])
    [message] = smtp_server.wait_for(1)
    assert message["To"] == colleague.email
    body = smtp_server.body(message)
    assert f"https://hub.example{notice.link}" in body
    assert case.reports.get().captured_text not in body


def test_the_holder_hands_a_case_over_and_the_colleague_may_then_decide_it(case, officer, colleague):
    casework.case_claim(case=case, officer=officer)
    casework.case_assign(case=case, officer=officer, assignee=colleague)
    with pytest.raises(casework.CaseHeldByAnother, match=colleague.username):
        casework.case_dismiss(case=case, officer=officer, reason="Not mine any more")
    assert casework.case_dismiss(case=case, officer=colleague, reason="Spam").status == Case.Status.DISMISSED


def test_a_case_another_officer_holds_is_not_taken_from_them(case, officer, colleague):
    holder = UserFactory(role=Role.OFFICER)
    casework.case_claim(case=case, officer=holder)
    with pytest.raises(casework.CaseHeldByAnother, match=holder.username):
        casework.case_assign(case=case, officer=officer, assignee=colleague)
    assert Case.objects.get(pk=case.pk).claimed_by == holder
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.ASSIGNED).exists()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.LIAISON, Role.ADMIN, Role.PARTNER])
def test_only_officers_can_be_given_a_case(case, officer, role):
    someone = UserFactory(role=role)
    with pytest.raises(casework.CaseWorkError, match="does not work cases"):
        casework.case_assign(case=case, officer=officer, assignee=someone)
    assert Case.objects.get(pk=case.pk).claimed_by is None


def test_nor_an_officer_whose_account_is_closed_nor_oneself(case, officer, colleague):
    gone = UserFactory(role=Role.OFFICER, is_active=False)
    with pytest.raises(casework.CaseWorkError, match="does not work cases"):
        casework.case_assign(case=case, officer=officer, assignee=gone)
    with pytest.raises(casework.CaseWorkError, match="claim it"):
        casework.case_assign(case=case, officer=officer, assignee=officer)
    casework.case_assign(case=case, officer=officer, assignee=colleague)
    with pytest.raises(casework.CaseWorkError, match="claim it"):
        casework.case_assign(case=case, officer=colleague, assignee=colleague)


def test_a_closed_case_is_not_assigned(case, officer, colleague):
    casework.case_dismiss(case=case, officer=officer, reason="Spam")
    with pytest.raises(casework.CaseWorkError, match="nothing to assign"):
        casework.case_assign(case=case, officer=officer, assignee=colleague)


def test_the_page_lists_active_officers_only():
    officers = [UserFactory(role=Role.OFFICER) for _ in range(2)]
    UserFactory(role=Role.OFFICER, is_active=False)
    for role in (Role.VOLUNTEER, Role.LIAISON, Role.ADMIN, Role.PARTNER):
        UserFactory(role=role)
    offered = set(AssignForm().fields["assignee"].queryset)
    assert offered == set(officers)


def test_an_officer_assigns_from_the_case_page_and_a_mistake_stays_on_it(client, sign_in, case, colleague):
    sign_in(Role.OFFICER)
    volunteer = UserFactory(role=Role.VOLUNTEER)
    url = reverse("triage:case-action", args=[case.pk, "assign"])
    response = client.post(url, {"assign-assignee": volunteer.username})
    assert response.status_code == 200
    assert "Choose one of the officers in the list." in response.content.decode()
    assert Case.objects.get(pk=case.pk).claimed_by is None

    response = client.post(url, {"assign-assignee": colleague.username}, follow=True)
    assert Case.objects.get(pk=case.pk).claimed_by == colleague
    page = response.content.decode()
    assert f"Case {case.pk} is now with {colleague.username}." in page
    assert f"{colleague.username} is working on this case." in page
    assert "Assigned to" in page  # on the timeline


def test_the_case_page_offers_the_form_to_officers_who_may_use_it(client, sign_in, case):
    me = sign_in(Role.OFFICER)
    assert 'id="assign-form"' in client.get(reverse("triage:case", args=[case.pk])).content.decode()
    casework.case_claim(case=case, officer=UserFactory(role=Role.OFFICER))
    assert 'id="assign-form"' not in client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert me


def test_the_api_assigns_by_username_and_refuses_in_the_services_words(api, api_officer, case, colleague):
    url = reverse("api:case-assign", args=[case.pk])
    volunteer = UserFactory(role=Role.VOLUNTEER)
    refused = api.post(url, {"assignee": volunteer.username}, format="json")
    assert refused.status_code == 400 and "does not work cases" in refused.json()["detail"]
    unknown = api.post(url, {"assignee": "nobody-of-that-name"}, format="json")
    assert unknown.status_code == 400 and "assignee" in unknown.json()
    done = api.post(url, {"assignee": colleague.username}, format="json")
    assert done.status_code == 200
    assert Case.objects.get(pk=case.pk).claimed_by == colleague


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.LIAISON, Role.ADMIN, Role.PARTNER])
def test_no_other_role_may_assign_through_the_api(api, case, colleague, role):
    api.force_authenticate(UserFactory(role=role))
    response = api.post(reverse("api:case-assign", args=[case.pk]), {"assignee": colleague.username}, format="json")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).claimed_by is None


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.LIAISON, Role.ADMIN, Role.PARTNER])
def test_no_other_role_may_assign_from_the_pages(client, sign_in, case, colleague, role):
    sign_in(role)
    response = client.post(
        reverse("triage:case-action", args=[case.pk, "assign"]), {"assign-assignee": colleague.username}
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).claimed_by is None
