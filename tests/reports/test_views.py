import pytest
from django.urls import reverse

from hubsite.roles import Role
from reports.models import Category, Report
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(sign_in):
    return sign_in(Role.VOLUNTEER)


def form_data(**changes):
    data = {
        "post_url": "https://www.facebook.com/groups/1/posts/2",
        "platform": "",
        "captured_text": "They are vermin and should be thrown out.",
        "author_handle": "@poster",
        "categories": [str(Category.objects.get(slug="race").pk), str(Category.objects.get(slug="anti-muslim").pk)],
        "notes": "Still up at 10am.",
    }
    data.update(changes)
    return data


def test_form_page_offers_every_active_category(client, volunteer):
    response = client.get(reverse("reports:new"))
    assert response.status_code == 200
    for category in Category.objects.filter(is_active=True):
        assert category.name in response.content.decode()


def test_submitting_saves_the_report_with_its_case_and_platform(client, volunteer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reports:new"), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:mine")
    report = Report.objects.get()
    assert report.reporter == volunteer
    assert report.platform == "facebook"
    assert report.case is not None
    assert report.score_status == Report.ScoreStatus.PENDING
    assert set(report.categories.values_list("slug", flat=True)) == {"race", "anti-muslim"}
    assert len(callbacks) == 1, "scoring is queued once, after commit"


def test_platform_chosen_by_the_volunteer_wins(client, volunteer):
    client.post(reverse("reports:new"), form_data(platform="instagram"))
    assert Report.objects.get().platform == "instagram"


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, volunteer):
    data = form_data(post_url="javascript:alert(1)")
    response = client.post(reverse("reports:new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "That is not a web link." in page
    assert "They are vermin and should be thrown out." in page
    assert 'value="@poster"' in page
    assert "Still up at 10am." in page
    assert "checked" in page
    assert Report.objects.count() == 0


def test_html_in_a_report_is_shown_as_text(client, volunteer):
    ReportFactory(reporter=volunteer, captured_text="<script>alert('x')</script> hateful words")
    page = client.get(reverse("reports:mine")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_my_reports_lists_only_my_own_with_their_status(client, volunteer):
    mine = ReportFactory(reporter=volunteer, captured_text="my own report text")
    ReportFactory(captured_text="someone else's report text")
    response = client.get(reverse("reports:mine"))
    page = response.content.decode()
    assert "my own report text" in page
    assert "someone else&#x27;s report text" not in page and "someone else's report text" not in page
    assert "Waiting for scoring" in page
    Report.objects.filter(pk=mine.pk).update(score_status=Report.ScoreStatus.SCORED, score=0.9)
    assert "Waiting for an officer&#x27;s review" in client.get(reverse("reports:mine")).content.decode()


def test_my_reports_runs_a_fixed_number_of_queries(client, volunteer, django_assert_max_num_queries):
    for _ in range(15):
        ReportFactory(reporter=volunteer)
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:mine"))
