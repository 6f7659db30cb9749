from unittest.mock import patch

import pytest

from reports.models import Report
from tests.factories import ReportFactory
from triage import scoring, tasks
from triage.classifier.seed_corpus import CATEGORY_SLUGS
from triage.models import Case
from triage.tasks import score_report

pytestmark = pytest.mark.django_db

HATEFUL = "Muslims are vermin and should be driven out of this country."
BENIGN = "My neighbours are Muslims and they brought us food for Eid, lovely people."


def test_scoring_stores_score_version_and_raises_the_case_score(active_model):
    report = ReportFactory(captured_text=HATEFUL)
    score_report.delay(report.pk)
    report.refresh_from_db()
    assert report.score_status == Report.ScoreStatus.SCORED
    assert 0.0 <= report.score <= 1.0
    assert report.model_version == "seed-test"
    assert report.scored_at is not None
    assert Case.objects.get(pk=report.case_id).score == pytest.approx(report.score)


def test_hateful_text_scores_above_a_neutral_mention_of_the_same_group(active_model):
    hateful, benign = ReportFactory(captured_text=HATEFUL), ReportFactory(captured_text=BENIGN)
    for report in (hateful, benign):
        scoring.report_score(report_pk=report.pk)
        report.refresh_from_db()
    assert hateful.score > 0.5 > benign.score


def test_scoring_twice_changes_nothing(active_model):
    report = ReportFactory(captured_text=HATEFUL)
    assert scoring.report_score(report_pk=report.pk) is True
    report.refresh_from_db()
    first = (report.score, report.model_version, report.scored_at)
    case_score = Case.objects.get(pk=report.case_id).score

    assert scoring.report_score(report_pk=report.pk) is False
    score_report.delay(report.pk)
    report.refresh_from_db()
    assert (report.score, report.model_version, report.scored_at) == first
    assert Case.objects.get(pk=report.case_id).score == case_score


def test_every_scored_report_has_category_probabilities_and_an_explanation(active_model):
    reports = [ReportFactory(captured_text=text) for text in (HATEFUL, BENIGN, "k1ll all the J3ws")]
    for report in reports:
        score_report.delay(report.pk)
    for report in reports:
        report.refresh_from_db()
        assert report.score_status == Report.ScoreStatus.SCORED
        assert set(report.category_scores) == set(CATEGORY_SLUGS)
        assert all(0.0 <= value <= 1.0 for value in report.category_scores.values())
        assert report.explanation, report.captured_text
        for span in report.explanation:
            assert 0 <= span["start"] < span["end"] <= len(report.captured_text)
    hateful, _, disguised = reports
    assert max(hateful.category_scores, key=hateful.category_scores.get) == "anti-muslim"
    assert max(disguised.category_scores, key=disguised.category_scores.get) == "antisemitic"


def test_one_task_scores_other_waiting_reports_in_the_same_pass(active_model, settings):
    from triage.classifier.registry import Scorer

    settings.SCORING_BATCH_SIZE = 4
    reports = [ReportFactory(captured_text=f"{HATEFUL} ({index})") for index in range(6)]
    with patch.object(Scorer, "score_many", autospec=True, side_effect=Scorer.score_many) as score_many:
        assert scoring.report_score(report_pk=reports[0].pk) is True
    assert score_many.call_count == 1
    assert len(score_many.call_args.args[1]) == 4
    statuses = list(
        Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk").values_list("score_status", flat=True)
    )
    assert statuses == ["scored"] * 4 + ["pending"] * 2
    # The others' own tasks find them scored and do nothing.
    assert scoring.report_score(report_pk=reports[1].pk) is False
    assert scoring.report_score(report_pk=reports[4].pk) is True


def test_a_report_that_is_gone_is_ignored_quietly(active_model):
    assert scoring.report_score(report_pk=987654) is False
    score_report.delay(987654)


def test_without_an_active_model_the_report_waits(model_dir):
    report = ReportFactory(captured_text=HATEFUL)
    assert scoring.report_score(report_pk=report.pk) is False
    report.refresh_from_db()
    assert report.score_status == Report.ScoreStatus.PENDING


def test_a_corrupt_artifact_is_refused_and_the_report_waits(active_model, model_dir):
    (model_dir / active_model.artifact_path).write_bytes(b"not the model we trained")
    report = ReportFactory(captured_text=HATEFUL)
    assert scoring.report_score(report_pk=report.pk) is False
    report.refresh_from_db()
    assert report.score_status == Report.ScoreStatus.PENDING


def test_a_final_failure_is_recorded_on_the_report(active_model):
    report = ReportFactory(captured_text=HATEFUL)
    score_report.on_failure(RuntimeError("worker gave up"), "task-id", (report.pk,), {}, None)
    report.refresh_from_db()
    assert report.score_status == Report.ScoreStatus.FAILED
    assert "worker gave up" in report.scoring_error


def test_the_sweep_queues_reports_left_unscored(active_model, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.SCORING_BATCH_SIZE = 1  # no batching: only the report the sweep queued gets scored

    stale = ReportFactory(captured_text=HATEFUL)
    fresh = ReportFactory(captured_text=HATEFUL)
    Report.objects.filter(pk=stale.pk).update(queued_at=timezone.now() - timedelta(hours=1))
    assert tasks.reports_requeue_unscored(older_than=timedelta(minutes=10)) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.score_status == Report.ScoreStatus.SCORED
    assert fresh.score_status == Report.ScoreStatus.PENDING


def test_the_sweep_does_not_queue_a_waiting_report_twice_in_a_row(settings):
    from datetime import timedelta

    from django.utils import timezone

    from hubsite.celery import app

    app.conf.task_always_eager = False  # published, not run: the report stays pending
    stale = ReportFactory(captured_text=HATEFUL)
    Report.objects.filter(pk=stale.pk).update(queued_at=timezone.now() - timedelta(hours=1))
    with patch.object(tasks, "scoring_enqueue", return_value=True) as enqueue:
        assert tasks.reports_requeue_unscored(older_than=timedelta(minutes=10)) == 1
        assert tasks.reports_requeue_unscored(older_than=timedelta(minutes=10)) == 0
    assert enqueue.call_count == 1


def test_only_one_sweep_runs_at_a_time():
    from django.core.cache import cache

    from triage.tasks import requeue_unscored_reports

    cache.add("lock:requeue-unscored-reports", "held", timeout=60)
    with patch.object(tasks, "reports_requeue_unscored") as sweep:
        requeue_unscored_reports.delay()
    sweep.assert_not_called()


def test_a_broker_that_refuses_does_not_lose_the_report(monkeypatch, client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from hubsite.roles import Role
    from reports.models import Category
    from tests.factories import UserFactory

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(score_report, "delay", refuse)
    client.force_login(UserFactory(role=Role.VOLUNTEER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:new"),
            {
                "post_url": "https://x.com/a/status/1",
                "captured_text": HATEFUL,
                "categories": [Category.objects.get(slug="anti-muslim").pk],
                "submission_key": "8d2f2b7e-0f6a-4a53-9a43-0d8d1c4a1f01",
            },
        )
    assert response.status_code == 302
    assert Report.objects.get().score_status == Report.ScoreStatus.PENDING


def test_a_missing_or_damaged_model_file_is_shown_to_admins_and_nothing_crashes(
    client, sign_in, active_model, model_dir
):
    from django.core.cache import cache
    from django.urls import reverse

    from hubsite.roles import Role

    sign_in(Role.ADMIN)
    assert 'id="scoring-alert"' not in client.get(reverse("admin:index")).content.decode()
    artifact = model_dir / active_model.artifact_path
    artifact.write_bytes(b"not the model we trained")
    cache.clear()
    report = ReportFactory(captured_text=HATEFUL)
    assert scoring.report_score(report_pk=report.pk) is False
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="scoring-alert"' in page and "does not match its recorded checksum" in page
    assert "1 report waiting now" in page
    artifact.unlink()
    cache.clear()
    page = client.get(reverse("admin:volunteers_trainingrecord_changelist")).content.decode()
    assert "its file" in page and "is missing" in page, "on every admin page"
    report.refresh_from_db()
    assert report.score_status == Report.ScoreStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_each_worker_process_loads_the_active_model_as_it_starts(active_model):
    from triage.classifier.registry import active_scorer
    from triage.worker import load_the_active_model

    load_the_active_model().join(timeout=60)
    with patch("triage.classifier.registry.load_model", side_effect=AssertionError("loaded a second time")):
        assert active_scorer().version == active_model.version  # the first report finds it in memory


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_starts_even_when_the_model_cannot_be_loaded(active_model, model_dir, caplog):
    from triage.worker import load_the_active_model

    (model_dir / active_model.artifact_path).write_bytes(b"not the model we trained")
    loader = load_the_active_model()
    loader.join(timeout=60)
    assert not loader.is_alive() and "could not be loaded at start" in caplog.text
