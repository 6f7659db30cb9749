"""A volunteer not approved yet (an applicant) cannot report or log counter-speech, whichever way they try, and
is told why and what happens next."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from hubsite.roles import Role
from reports.models import Category, CounterSpeech, Report
from tests.auth import sign_in_verified
from tests.factories import UserFactory, report_form_data
from triage.intake import counter_speech_log, report_submit
from volunteers.accreditation import StandingRefused, standing_refusal
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

NOT_APPROVED = "Your application to volunteer has not been approved yet, so you cannot report posts."
WAITING_FOR_ADMIN = "Your training is done: an admin now needs to make you an active volunteer."


@pytest.fixture
def applicant(client):
    """An applicant who has passed the induction: only an admin's approval is missing."""
    return sign_in_verified(client, UserFactory(role=Role.VOLUNTEER, status=VolunteerProfile.Status.APPLICANT))


def test_the_report_page_says_why_instead_of_showing_a_form(client, applicant):
    response = client.get(reverse("reports:new"))
    body = response.content.decode()
    assert response.status_code == 200
    assert NOT_APPROVED in body and WAITING_FOR_ADMIN in body
    assert 'id="report-form"' not in body


def test_an_untrained_applicant_is_told_to_finish_the_training_first(client):
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER, trained=False, status=VolunteerProfile.Status.APPLICANT))
    body = client.get(reverse("reports:new")).content.decode()
    assert NOT_APPROVED in body
    assert "once your training is done: first, complete the induction training" in body


def test_a_report_posted_by_an_applicant_is_refused_and_kept_on_the_page(client, applicant):
    data = report_form_data(notes="Seen this morning on the bus.")
    response = client.post(reverse("reports:new"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert NOT_APPROVED in body and "Nothing was sent" in body
    assert "Seen this morning on the bus." in body, "what they typed comes back"
    assert "Send report" not in body, "no button that cannot work"
    assert Report.objects.count() == 0


def test_the_share_target_shows_the_reason_not_the_form(client, applicant):
    response = client.post(reverse("reports:share"), {"text": "Go back where you came from", "url": ""})
    body = response.content.decode()
    assert response.status_code == 200 and NOT_APPROVED in body
    assert 'id="report-form"' not in body


def test_counter_speech_is_refused_too(client, applicant):
    page = client.get(reverse("reports:challenge")).content.decode()
    assert "so you cannot log counter-speech" in page and 'id="counter-speech-form"' not in page
    posted = client.post(
        reverse("reports:challenge"),
        {
            "post_url": "https://x.com/someone/status/1",
            "reply_url": "https://x.com/me/status/2",
            "replied_at": "2026-01-02 10:00",
        },
    )
    assert "so you cannot log counter-speech" in posted.content.decode()
    assert CounterSpeech.objects.count() == 0


def test_the_volunteers_page_says_why_they_cannot_report(client, applicant):
    body = client.get(reverse("volunteers:dashboard")).content.decode()
    assert NOT_APPROVED in body


def test_the_service_refuses_an_applicant_whatever_calls_it(applicant):
    with pytest.raises(StandingRefused, match="not been approved yet"):
        report_submit(
            reporter=applicant,
            post_url="https://x.com/someone/status/1",
            captured_text="They are vermin.",
            categories=[Category.objects.get(slug="race")],
        )
    with pytest.raises(StandingRefused, match="log counter-speech"):
        counter_speech_log(
            volunteer=applicant,
            post_url="https://x.com/someone/status/1",
            reply_url="https://x.com/me/status/2",
            replied_at=datetime(2026, 1, 2, 10, tzinfo=UTC),
        )
    assert Report.objects.count() == 0 and CounterSpeech.objects.count() == 0


def test_an_applicant_holding_an_api_permission_is_still_refused_by_the_api(applicant):
    # Were an admin to give an applicant the partner permission, the service's rule still holds.
    applicant.user_permissions.add(Permission.objects.get(codename="submit_report_via_api"))
    api = APIClient()
    api.force_authenticate(applicant)
    response = api.post(
        reverse("api:reports"),
        {"post_url": "https://x.com/someone/status/1", "captured_text": "They are vermin.", "categories": ["race"]},
        format="json",
    )
    assert response.status_code == 403
    assert NOT_APPROVED in response.json()["detail"]
    assert Report.objects.count() == 0


def test_partners_have_no_volunteer_standing_and_still_report():
    partner = UserFactory(role=Role.PARTNER)
    assert standing_refusal(partner, "reporting") is None
    submission = report_submit(
        reporter=partner,
        post_url="https://x.com/someone/status/1",
        captured_text="They are vermin.",
        categories=[Category.objects.get(slug="race")],
    )
    assert submission.created


def test_once_an_admin_makes_them_active_they_can_report(client, applicant):
    admin_client = client.__class__()
    sign_in_verified(admin_client, UserFactory(role=Role.ADMIN))
    response = admin_client.post(
        reverse("admin:volunteers_volunteerprofile_changelist"),
        {"action": "reinstate", "_selected_action": [applicant.volunteer.pk]},
    )
    assert response.status_code == 302
    assert VolunteerProfile.objects.get(user=applicant).status == VolunteerProfile.Status.ACTIVE
    page = client.get(reverse("reports:new")).content.decode()
    assert 'id="report-form"' in page and NOT_APPROVED not in page
    assert client.post(reverse("reports:new"), report_form_data()).status_code == 302
    assert Report.objects.filter(reporter=applicant).count() == 1


@pytest.mark.parametrize("status", [VolunteerProfile.Status.SUSPENDED, VolunteerProfile.Status.LEFT])
def test_the_service_refuses_a_volunteer_suspended_or_gone(status):
    volunteer = UserFactory(role=Role.VOLUNTEER, status=status)
    with pytest.raises(StandingRefused):
        report_submit(
            reporter=volunteer,
            post_url="https://x.com/someone/status/1",
            captured_text="They are vermin.",
            categories=[Category.objects.get(slug="race")],
        )
