"""Training gates: reporting needs a current induction; a category can ask for its own module."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from reports.models import Category, Report
from tests.factories import UserFactory, training_record
from volunteers.accreditation import reporting_refusal, untaggable_categories
from volunteers.models import TrainingModule, add_months

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def induction():
    return TrainingModule.objects.get(slug="induction")


def test_expiry_is_the_validity_in_months_from_completion_clamped_to_the_month():
    assert add_months(TODAY.replace(year=2026, month=1, day=31), 1).isoformat() == "2026-02-28"
    assert add_months(TODAY.replace(year=2026, month=11, day=15), 24).isoformat() == "2028-11-15"
    record = training_record(
        volunteer=UserFactory(role=Role.VOLUNTEER, trained=False), module=induction(), completed_on=TODAY
    )
    assert record.expires_on == add_months(TODAY, induction().validity_months)


def test_without_an_induction_the_form_says_why_and_nothing_is_saved(client):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    client.force_login(volunteer)
    page = client.get(reverse("reports:new")).content.decode()
    assert "You cannot report posts yet." in page and "complete the induction training" in page
    assert 'id="report-form"' not in page
    response = client.post(
        reverse("reports:new"),
        {"post_url": "https://x.com/a/status/1", "captured_text": "they are vermin", "categories": [1]},
    )
    assert response.status_code == 200 and not Report.objects.exists()


def test_an_expired_induction_names_the_date_and_a_current_one_opens_the_form(client):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    long_ago = TODAY - timedelta(days=3 * 365)
    training_record(volunteer=volunteer, module=induction(), completed_on=long_ago)
    refusal = reporting_refusal(volunteer)
    assert "expired on" in refusal and "renew" in refusal
    training_record(volunteer=volunteer, module=induction(), completed_on=TODAY)
    assert reporting_refusal(volunteer) is None
    client.force_login(volunteer)
    assert 'id="report-form"' in client.get(reverse("reports:new")).content.decode()


def test_a_failed_attempt_does_not_count():
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    module = induction()
    module.pass_mark = 70
    module.save()
    training_record(volunteer=volunteer, module=module, completed_on=TODAY, score=55)
    assert reporting_refusal(volunteer) is not None


def test_a_category_that_asks_for_training_can_only_be_tagged_by_those_who_have_it(client):
    disability = Category.objects.get(slug="disability")
    disability.requires_training = True
    disability.save()
    volunteer = UserFactory(role=Role.VOLUNTEER)
    assert untaggable_categories(volunteer, [disability]) == [disability]
    client.force_login(volunteer)
    response = client.post(
        reverse("reports:new"),
        {
            "post_url": "https://x.com/a/status/9",
            "platform": "x",
            "captured_text": "text",
            "categories": [disability.pk],
        },
    )
    assert "Tagging Disability needs its training module" in response.content.decode()
    assert not Report.objects.exists()
    training_record(
        volunteer=volunteer, module=TrainingModule.objects.get(unlocks_category=disability), completed_on=TODAY
    )
    assert untaggable_categories(volunteer, [disability]) == []


def test_a_volunteer_sees_their_training_and_is_warned_30_days_ahead(client):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    module = induction()
    # Completed so that it expires in 20 days.
    completed = add_months(TODAY + timedelta(days=20), -module.validity_months)
    training_record(volunteer=volunteer, module=module, completed_on=completed)
    wellbeing = TrainingModule.objects.get(slug="wellbeing")
    training_record(volunteer=volunteer, module=wellbeing, completed_on=TODAY - timedelta(days=400))
    client.force_login(volunteer)
    page = client.get(reverse("volunteers:dashboard")).content.decode()
    assert "Your <strong>Induction</strong> training expires on" in page and "you need it for reporting posts" in page
    assert "Your <strong>Wellbeing and exposure to harmful content</strong> training expired on" in page
    assert "Not taken yet" in page
