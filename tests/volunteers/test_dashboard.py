"""A volunteer's own page, their exposure to hateful content, the counter-speech gate and their track record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from reports.models import Category, CounterSpeech, Report
from reports.wellbeing import daily_counts, exposure, exposure_by_volunteer
from tests.factories import ReportFactory, UserFactory, training_record
from triage.models import Case
from triage.track_record import agreement_by_reporter, track_records
from volunteers.models import TrainingModule

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("volunteers:dashboard")


def sent_at(report, when):
    Report.objects.filter(pk=report.pk).update(created_at=when)


def test_the_dashboard_shows_what_training_unlocks_and_what_became_of_the_reports(client):
    disability = Category.objects.get(slug="disability")
    disability.requires_training = True
    disability.save()
    volunteer = UserFactory(role=Role.VOLUNTEER)
    for status in ("referred", "referred", "dismissed", "new"):
        Case.objects.filter(pk=ReportFactory(reporter=volunteer).case_id).update(status=status)
    sent_at(ReportFactory(reporter=volunteer), timezone.now() - timedelta(days=20))
    CounterSpeech.objects.create(
        volunteer=volunteer,
        post_url="https://x.com/a/status/1",
        normalised_url="https://x.com/a/status/1",
        reply_url="https://x.com/me/status/2",
        replied_at=timezone.now(),
    )
    client.force_login(volunteer)
    response = client.get(DASHBOARD)
    context, page = response.context, response.content.decode()
    assert context["reports_this_week"] == 4 and context["reports_total"] == 5
    assert context["replies_this_week"] == 1 and context["replies_total"] == 1
    assert dict(context["outcomes"]) == {
        "Waiting for review": 2,  # one is the report of 20 days ago, still waiting
        "Referred to a police force": 2,
        "Dismissed": 1,
    }
    abilities = dict(context["abilities"])
    assert abilities["Report posts"] is None and abilities["Log counter-speech"] is None
    assert abilities["Tag reports Disability"] == "Needs the training for disability hate."
    assert volunteer.volunteer.pseudonym in page and "Not yet" in page


def test_an_untrained_volunteer_is_told_what_to_do_on_their_page(client):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    client.force_login(volunteer)
    abilities = dict(client.get(DASHBOARD).context["abilities"])
    assert "You need to complete the induction training before you can report posts" in abilities["Report posts"]
    assert "counter-speech training before you can log counter-speech" in abilities["Log counter-speech"]


def test_counter_speech_needs_its_module_and_a_refused_reply_keeps_what_was_typed(client):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    training_record(
        volunteer=volunteer, module=TrainingModule.objects.get(slug="induction"), completed_on=timezone.localdate()
    )
    client.force_login(volunteer)
    page = client.get(reverse("reports:challenge")).content.decode()
    assert "You cannot log counter-speech yet." in page and 'name="reply_url"' not in page
    response = client.post(
        reverse("reports:challenge"),
        {
            "post_url": "https://x.com/a/status/77",
            "reply_url": "https://x.com/me/status/78",
            "replied_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "reply_text": "Words I wrote in reply",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was logged" in page and "Words I wrote in reply" in page
    assert not CounterSpeech.objects.exists()
    training_record(
        volunteer=volunteer,
        module=TrainingModule.objects.get(slug="counter-speech"),
        completed_on=timezone.localdate(),
    )
    assert 'name="reply_url"' in client.get(reverse("reports:challenge")).content.decode()


def test_a_report_refused_for_lapsed_training_keeps_what_was_typed(client):
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    training_record(
        volunteer=volunteer,
        module=TrainingModule.objects.get(slug="induction"),
        completed_on=timezone.localdate() - timedelta(days=800),  # a 24-month pass, lapsed
    )
    client.force_login(volunteer)
    response = client.post(
        reverse("reports:new"),
        {"post_url": "https://x.com/a/status/9", "platform": "x", "captured_text": "the words of the post"},
    )
    page = response.content.decode()
    assert "Your induction training expired on" in page and "the words of the post" in page
    assert 'role="alert" id="training-needed"' in page
    assert "Send report" not in page, "no button that cannot succeed"
    assert not Report.objects.exists()


def test_exposure_counts_the_hub_s_local_days_and_the_last_seven(settings):
    settings.TIME_ZONE = "Europe/London"
    volunteer = UserFactory(role=Role.VOLUNTEER)
    now = timezone.make_aware(timezone.datetime(2026, 7, 10, 9, 0))  # 08:00 UTC, British Summer Time
    for when in (
        now - timedelta(minutes=30),  # today
        now - timedelta(hours=8, minutes=30),  # 00:30 today, London time (yesterday in UTC)
        now - timedelta(hours=10),  # 23:00 yesterday, London time
        now - timedelta(days=6, hours=8),  # six days back, first thing: inside the seven days
        now - timedelta(days=7),  # eight local days ago counting today: outside
    ):
        sent_at(ReportFactory(reporter=volunteer), when)
    assert exposure(volunteer, now=now) == exposure_by_volunteer([volunteer.pk], now=now)[volunteer.pk]
    found = exposure(volunteer, now=now)
    assert (found.today, found.this_week) == (2, 4)
    days = daily_counts(volunteer, now=now)
    assert len(days) == 7 and days[-1] == (now.date(), 2) and days[-2] == (now.date() - timedelta(days=1), 1)
    assert days[0] == (now.date() - timedelta(days=6), 1)


def test_past_the_soft_limit_the_volunteer_and_admins_are_told_a_break_is_due(client, sign_in, settings):
    settings.WELLBEING_DAILY_SOFT_LIMIT = 3
    volunteer = UserFactory(role=Role.VOLUNTEER)
    for _ in range(2):
        ReportFactory(reporter=volunteer)
    client.force_login(volunteer)
    assert "Time for a break?" not in client.get(DASHBOARD).content.decode()
    ReportFactory(reporter=volunteer)
    for url in (DASHBOARD, reverse("reports:new")):
        page = client.get(url).content.decode()
        assert "Time for a break?" in page and "You have reported 3 posts today" in page, url
    # The limit is soft: the form is still there and still sends.
    assert 'id="report-form"' in client.get(reverse("reports:new")).content.decode()
    sign_in(Role.ADMIN)
    listed = client.get(reverse("admin:volunteers_volunteerprofile_changelist")).content.decode()
    assert "3 (take a break)" in listed


def test_the_track_record_compares_outcomes_and_categories_with_the_officers():
    race, religion, disability = (Category.objects.get(slug=slug) for slug in ("race", "religion-other", "disability"))
    careful, newcomer = UserFactory(role=Role.VOLUNTEER), UserFactory(role=Role.VOLUNTEER)
    tagged = [([race], [race]), ([race, religion], [race]), ([disability], [race]), ([race], [])]
    for mine, officers in tagged:
        report = ReportFactory(reporter=careful, categories=mine)
        Case.objects.filter(pk=report.case_id).update(status="referred")
        report.case.categories.set(officers)
    Case.objects.filter(pk=ReportFactory(reporter=careful).case_id).update(status="dismissed")
    ReportFactory(reporter=newcomer, categories=[race])
    found = track_records([careful.pk, newcomer.pk])
    record = found[careful.pk]
    assert (record.decided, record.agreed, record.categorised) == (5, 4, 3)
    assert record.outcome_agreement == pytest.approx(0.8)
    # Overlap per report: 1, 1/2, 0 (the case with no officers' categories does not count).
    assert record.category_agreement == pytest.approx(0.5)
    assert found[newcomer.pk].outcome_agreement is None and found[newcomer.pk].category_agreement is None
    assert agreement_by_reporter([careful.pk, newcomer.pk]) == {careful.pk: pytest.approx(0.8), newcomer.pk: None}


def test_admins_see_each_volunteer_s_track_record(client, sign_in):
    volunteer = UserFactory(role=Role.VOLUNTEER)
    race = Category.objects.get(slug="race")
    for status in ("referred", "referred", "dismissed"):
        report = ReportFactory(reporter=volunteer, categories=[race])
        Case.objects.filter(pk=report.case_id).update(status=status)
        report.case.categories.set([race])
    UserFactory(role=Role.VOLUNTEER)  # a newcomer
    sign_in(Role.ADMIN)
    listed = client.get(reverse("admin:volunteers_volunteerprofile_changelist")).content.decode()
    assert "67% of 3" in listed and "100% of 3" in listed and "newcomer of 0" in listed
    change = client.get(reverse("admin:volunteers_volunteerprofile_change", args=[volunteer.volunteer.pk]))
    assert "67% of 3" in change.content.decode()
    assert client.get(reverse("admin:volunteers_volunteerprofile_add")).status_code == 200


def test_a_volunteer_s_screenshots_are_blurred_until_they_choose_to_see_them(client):
    report = ReportFactory(screenshot="screenshots/example.png")
    client.force_login(report.reporter)
    page = client.get(reverse("reports:mine")).content.decode()
    reveal = page[page.index('<details class="screenshot-reveal') :]
    reveal = reveal[: reveal.index("</details>")]
    assert "<summary>" in reveal and reverse("reports:screenshot", args=[report.pk]) in reveal
    assert "Screenshot blurred. Select it to show it." in reveal and " open" not in reveal.split(">")[0]
