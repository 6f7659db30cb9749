"""Retraining from the classifier versions page: the form, the worker's run, its page, and activating from
the side-by-side page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from tests.triage.test_pipeline import small_sources, write_public_data
from triage import classifier_training
from triage.classifier import pipeline
from triage.classifier.registry import save_version
from triage.classifier_comparison import DEV_MEASURES
from triage.classifier_services import classifier_training_start
from triage.models import ClassifierActivation, ClassifierTraining, ClassifierVersion
from triage.tasks import classifier_train

pytestmark = pytest.mark.django_db

START = reverse("admin:triage_classifiertraining_add")
COMPARE = reverse("admin:triage_classifierversion_compare")


def training_page(training: ClassifierTraining) -> str:
    return reverse("admin:triage_classifiertraining_change", args=[training.pk])


@pytest.fixture
def broker(settings):
    """A Hub with a broker, as deployed: retraining is offered (tasks still run in-process in tests)."""
    settings.BROKER_CONFIGURED = True


@pytest.fixture
def no_public_data(settings, tmp_path) -> Path:
    """CLASSIFIER_DATA_DIR pointing at an empty folder: only the functional suite can be measured."""
    directory = tmp_path / "no-public-data"
    directory.mkdir()
    settings.CLASSIFIER_DATA_DIR = directory
    return directory


@pytest.fixture
def admin_user(client):
    return sign_in_verified(client, UserFactory(role=Role.ADMIN))


def _closed_cases() -> None:
    """Two cases officers decided: one dismissed, one referred."""
    for text, status in (
        ("lovely day at the match", "dismissed"),
        ("all of them are vermin, drive them out", "referred"),
    ):
        report = ReportFactory(captured_text=text)
        report.case.status = status
        report.case.save(update_fields=["status"])


# The whole journey ------------------------------------------------------------------------------------


def test_an_admin_retrains_follows_it_and_sees_every_measure_beside_the_active_one(
    client,
    admin_user,
    broker,
    model_dir,
    active_model,
    tmp_path,
    monkeypatch,
    settings,
    django_capture_on_commit_callbacks,
):
    public = write_public_data(tmp_path / "public")
    settings.CLASSIFIER_DATA_DIR = public
    # The public recipe's own files, small: every dev measure is taken, in seconds.
    monkeypatch.setattr(pipeline, "recipe_sources", lambda recipe, directory=None: small_sources(public))
    _closed_cases()

    versions_page = client.get(reverse("admin:triage_classifierversion_changelist")).content.decode()
    assert START in versions_page, "the Retrain link"
    form = client.get(START)
    assert form.status_code == 200 and "Officers have closed 2 cases" in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(START, {"data": "public+decisions", "seed": "3"})
    assert len(queued) == 1, "the task is queued once the record is committed"
    training = ClassifierTraining.objects.get()
    assert response.status_code == 302 and response["Location"] == training_page(training)

    assert training.status == ClassifierTraining.Status.DONE, training.error
    assert training.started_by == admin_user and training.seed == 3
    assert training.started_at <= training.finished_at
    version = training.version
    assert version.trained_by == admin_user.username and not version.is_active, "a new version is never switched on"
    assert version.training_data["recipe"] == "public+decisions" and version.training_data["seed"] == 3
    assert [source["name"] for source in version.training_data["datasets"]][-1] == "officers' decisions"
    assert (
        "ToxiGen leave-one-group-out" in training.progress
        and f"Stored as version {version.version}" in training.progress
    )

    page = client.get(training_page(training)).content.decode()
    assert "Done" in page and 'data-in-progress="false"' in page and "js/training-progress" not in page
    assert "Training on" in page
    compare_link = re.search(r'href="([^"]+)" id="compare-link"', page).group(1).replace("&amp;", "&")
    assert f"v={version.version}" in compare_link and "v=seed-test" in compare_link

    compare = client.get(compare_link).content.decode()
    dev = version.metrics["dev"]
    for shown in (
        f"{dev['stormfront_test']['macro_f1']:.3f}",
        f"{dev['stormfront_test']['roc_auc']:.3f}",
        f"{dev['toxigen_logo']['mean_macro_f1']:.3f}",
        f"{dev['davidson_held_out']['hate_roc_auc']:.3f}",
        f"{dev['davidson_held_out']['abusive_roc_auc']:.3f}",
        f"{dev['functional']['macro_f1']:.3f}",
    ):
        assert shown in compare, shown
    for table in (
        "Dev measures",
        "ToxiGen leave-one-group-out: macro-F1 per group",
        "Functional suite: accuracy per phenomenon",
        "Functional suite: accuracy per group",
        "Per-group error rates on the functional suite",
        "Functional suite targets",
    ):
        assert table in compare, table
    for group in ("women", "jewish", "muslim"):
        assert group in compare, f"ToxiGen group {group}"
    for chart in ("headline-measures", "false-alarms", "hate-missed"):
        assert f'<canvas id="{chart}-chart"' in compare and f'id="{chart}-data"' in compare, chart
    assert f"Activate {version.version}" in compare

    started, finished = AuditEvent.objects.filter(object_type="triage.classifiertraining").order_by("at", "pk")
    assert started.action == AuditEvent.Action.CLASSIFIER_TRAINING_STARTED and started.actor == admin_user
    assert finished.action == AuditEvent.Action.CLASSIFIER_TRAINING_FINISHED
    assert finished.detail["version"] == version.version and finished.detail["status"] == "done"

    # The broker may hand the same message over again: the second delivery does nothing.
    classifier_train(training.pk)
    assert ClassifierVersion.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CLASSIFIER_TRAINING_FINISHED).count() == 1


def test_the_light_recipe_trains_on_the_seed_corpus_and_measures_the_functional_suite(
    broker, model_dir, active_model, no_public_data
):
    training = classifier_training_start(by=UserFactory(role=Role.ADMIN), data="light", seed=0)
    classifier_train(training.pk)
    training.refresh_from_db()
    assert training.status == ClassifierTraining.Status.DONE, training.error
    dev = training.version.metrics["dev"]
    assert dev["functional"]["cases"] > 500 and "stormfront_test" not in dev
    assert "measuring on the functional suite only" in training.progress


def test_while_it_runs_the_page_updates_itself_with_the_lines_so_far(client, admin_user, broker):
    training = classifier_training_start(by=admin_user, data="light", seed=0)
    ClassifierTraining.objects.filter(pk=training.pk).update(
        status="running", started_at=timezone.now(), progress="[1/1] reading seed\n      5000 examples"
    )
    page = client.get(training_page(training)).content.decode()
    assert 'data-in-progress="true"' in page and "js/training-progress" in page, "it updates itself"
    assert "Running: 2 progress lines so far." in page
    assert "[1/1] reading seed" in page and "5000 examples" in page


def test_a_training_nobody_takes_says_which_queue_to_check(client, admin_user, broker):
    training = classifier_training_start(by=admin_user, data="light", seed=0)
    ClassifierTraining.objects.filter(pk=training.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    page = client.get(training_page(training)).content.decode()
    assert "No training worker has taken it yet" in page and '"training" queue' in page


# Failures, as the admin reads them -------------------------------------------------------------------


def test_missing_public_data_is_shown_as_the_loader_words_it(client, admin_user, broker, model_dir, no_public_data):
    training = classifier_training_start(by=admin_user, data="public", seed=0)
    classifier_train(training.pk)
    training.refresh_from_db()
    assert training.status == ClassifierTraining.Status.FAILED and training.version is None
    assert str(no_public_data) in training.error and "CLASSIFIER_DATA_DIR" in training.error
    page = client.get(training_page(training)).content.decode()
    assert "Failed" in page and "CLASSIFIER_DATA_DIR" in page
    finished = AuditEvent.objects.get(action=AuditEvent.Action.CLASSIFIER_TRAINING_FINISHED)
    assert finished.detail["status"] == "failed" and "CLASSIFIER_DATA_DIR" in finished.summary


def test_an_unexpected_error_is_logged_and_the_admin_reads_a_plain_sentence(broker, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk caught fire at /var/secret/path")

    monkeypatch.setattr(pipeline, "train_version", broken)
    training = classifier_training_start(by=UserFactory(role=Role.ADMIN), data="light", seed=0)
    classifier_train(training.pk)
    training.refresh_from_db()
    assert training.status == ClassifierTraining.Status.FAILED
    assert "unexpected error" in training.error and "/var/secret/path" not in training.error
    assert "the active model is unchanged" in training.error
    assert "the disk caught fire" in caplog.text, "the details go to the worker's log"


def test_progress_is_written_at_most_about_once_a_second(broker, monkeypatch):
    made = ClassifierVersion.objects.create(version="quick", artifact_path="quick.skops", artifact_sha256="0" * 64)

    def chatty(sources, *, progress, **kwargs):
        for number in range(200):
            progress(f"step {number}")
        return made

    monkeypatch.setattr(pipeline, "train_version", chatty)
    from django.db import connection

    training = classifier_training_start(by=UserFactory(role=Role.ADMIN), data="light", seed=0)
    with CaptureQueriesContext(connection) as queries:
        classifier_train(training.pk)
    writes = [query for query in queries if query["sql"].startswith('UPDATE "triage_classifiertraining"')]
    assert len(writes) <= 5, "the first line, perhaps one a second, and the end"
    training.refresh_from_db()
    assert training.status == ClassifierTraining.Status.DONE and training.version == made
    assert "step 0" in training.progress and "step 199" in training.progress, "every line is kept"


# One at a time ----------------------------------------------------------------------------------------


def test_a_second_training_is_refused_while_one_is_queued(client, admin_user, broker):
    first = classifier_training_start(by=UserFactory(role=Role.ADMIN), data="light", seed=0)
    response = client.post(START, {"data": "public", "seed": "7"})
    assert response.status_code == 409
    page = response.content.decode()
    assert f"Training {first.pk}" in page and "Only one training runs at a time" in page
    assert re.search(r'<input[^>]*value="public"[^>]*checked', page), "the choice made is kept"
    assert 'value="7"' in page, "the seed typed is kept"
    assert ClassifierTraining.objects.count() == 1


def test_the_database_refuses_two_trainings_in_progress(broker):
    person = UserFactory(role=Role.ADMIN)
    ClassifierTraining.objects.create(started_by=person, data="light", status="running")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassifierTraining.objects.create(started_by=person, data="light")
    ClassifierTraining.objects.create(started_by=person, data="light", status="done")


def test_a_training_whose_worker_died_is_given_up_and_another_may_start(broker):
    person = UserFactory(role=Role.ADMIN)
    silent = ClassifierTraining.objects.create(
        started_by=person, data="light", status="running", alive_at=timezone.now() - timedelta(minutes=11)
    )
    second = classifier_training_start(by=person, data="light", seed=1)
    silent.refresh_from_db()
    assert silent.status == ClassifierTraining.Status.FAILED and "stopped answering" in silent.error
    assert second.status == ClassifierTraining.Status.QUEUED


def test_a_training_no_worker_took_is_given_up_after_half_an_hour(broker):
    person = UserFactory(role=Role.ADMIN)
    waiting = ClassifierTraining.objects.create(
        started_by=person, data="light", created_at=timezone.now() - timedelta(minutes=31)
    )
    classifier_training_start(by=person, data="light", seed=0)
    waiting.refresh_from_db()
    assert waiting.status == ClassifierTraining.Status.FAILED and '"training" queue' in waiting.error


def test_a_second_delivery_leaves_a_live_run_alone(broker, monkeypatch):
    monkeypatch.setattr(pipeline, "train_version", lambda *args, **kwargs: pytest.fail("trained twice"))
    person = UserFactory(role=Role.ADMIN)
    running = ClassifierTraining.objects.create(
        started_by=person, data="light", status="running", alive_at=timezone.now() - timedelta(seconds=40)
    )
    classifier_train(running.pk)
    running.refresh_from_db()
    assert running.status == ClassifierTraining.Status.RUNNING


def test_a_broker_that_does_not_take_it_fails_the_record(broker, monkeypatch, django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(classifier_train, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        training = classifier_training_start(by=UserFactory(role=Role.ADMIN), data="light", seed=0)
    training.refresh_from_db()
    assert training.status == ClassifierTraining.Status.FAILED and "broker did not answer" in training.error


# The form's refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"seed": "0"}, "This field is required."),
        ({"data": "everything", "seed": "0"}, "Select a valid choice."),
        ({"data": "light", "seed": "-1"}, "greater than or equal to 0"),
        ({"data": "light", "seed": "one"}, "Enter a whole number."),
    ],
)
def test_the_form_refuses_what_it_does_not_offer(client, admin_user, broker, posted, message):
    response = client.post(START, posted)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ClassifierTraining.objects.exists()


def test_officers_decisions_are_refused_before_there_are_any(client, admin_user, broker):
    response = client.post(START, {"data": "decisions+seed", "seed": "0"})
    assert response.status_code == 409
    assert "Officers have not closed any case with a decision yet" in response.content.decode()
    assert not ClassifierTraining.objects.exists()


def test_a_hub_without_a_worker_points_to_the_command_line(client, admin_user, settings):
    settings.BROKER_CONFIGURED = False
    response = client.post(START, {"data": "light", "seed": "0"})
    assert response.status_code == 409
    assert "manage.py train_classifier" in response.content.decode()
    assert not ClassifierTraining.objects.exists()


# Who may ----------------------------------------------------------------------------------------------


@pytest.fixture
def a_training(db):
    return ClassifierTraining.objects.create(started_by=UserFactory(role=Role.ADMIN), data="light", status="done")


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER])
def test_other_roles_are_sent_to_the_admin_sign_in(client, sign_in, broker, a_training, role):
    sign_in(role)
    for method, url in (("get", START), ("post", START), ("get", training_page(a_training)), ("post", COMPARE)):
        response = getattr(client, method)(url, {"data": "light", "seed": "0"} if method == "post" else None)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"], (method, url)
    assert ClassifierTraining.objects.count() == 1


def test_anonymous_is_sent_to_the_admin_sign_in(client, broker, a_training):
    for url in (START, training_page(a_training)):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_without_the_permissions_are_refused(client, broker, a_training):
    sign_in_verified(client, UserFactory(is_staff=True))
    assert client.get(START).status_code == 403
    assert client.post(START, {"data": "light", "seed": "0"}).status_code == 403
    assert client.get(training_page(a_training)).status_code == 403
    assert ClassifierTraining.objects.count() == 1


def test_who_may_view_versions_but_not_activate_them_is_refused(client, versions_to_activate):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_classifierversion"))
    sign_in_verified(client, viewer)
    worse, _ = versions_to_activate
    assert client.get(COMPARE).status_code == 200
    assert "Activate " not in client.get(COMPARE).content.decode(), "no activation form for them"
    assert client.post(COMPARE, {"version": worse.version}).status_code == 403
    worse.refresh_from_db()
    assert not worse.is_active


def test_admins_hold_the_new_permissions():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="admin").permissions.values_list("codename", flat=True))
    assert {"add_classifiertraining", "view_classifiertraining", "activate_classifierversion"} <= codenames
    for role in (Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER):
        assert not UserFactory(role=role).has_perm("triage.add_classifiertraining")


def test_the_list_of_trainings_takes_a_fixed_number_of_queries(client, admin_user, django_assert_max_num_queries):
    for seed in range(5):
        ClassifierTraining.objects.create(
            started_by=UserFactory(role=Role.ADMIN), data="light", seed=seed, status="done"
        )
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:triage_classifiertraining_changelist"))
    assert response.status_code == 200


# Activating -------------------------------------------------------------------------------------------


@pytest.fixture
def versions_to_activate(model_dir, active_model, no_public_data):
    """The active seed-corpus model, and a version trained on a sliver of it: worse on the functional suite."""
    from triage.classifier.datasets import load_dataset
    from triage.classifier.dev import scored_measures
    from triage.classifier.model import HubClassifier
    from triage.classifier.registry import load_model
    from triage.classifier.training import fit

    examples = load_dataset("seed", None).examples
    sliver = [*[e for e in examples if e.label][:15], *[e for e in examples if not e.label][:15]]
    model = fit(HubClassifier(seed=0), sliver)
    worse = save_version(
        model, metrics={"dev": scored_measures(model.predict_proba, None)}, training_data={}, trained_by="tester",
        activate=False,
    )  # fmt: skip
    # The admin site compares the dev measures stored with each version, taken on the same data.
    active_model.metrics = {"dev": scored_measures(load_model(active_model).predict_proba, None)}
    active_model.save()
    return worse, active_model


def test_a_worse_version_is_refused_with_the_gates_words_and_what_was_typed_is_kept(
    client, admin_user, versions_to_activate
):
    worse, active = versions_to_activate
    url = f"{COMPARE}?v={worse.version}&v={active.version}"
    response = client.post(url, {"version": worse.version, "reason": "trying it out"})
    assert response.status_code == 409
    page = response.content.decode()
    assert f"Model {worse.version} is worse than the active model {active.version}" in page
    assert "To activate it anyway, tick “Activate even if it measures worse”" in page and "--force" not in page
    assert "trying it out</textarea>" in page
    worse.refresh_from_db()
    assert not worse.is_active and not ClassifierActivation.objects.exists()


def test_forcing_needs_a_reason(client, admin_user, versions_to_activate):
    worse, _ = versions_to_activate
    response = client.post(COMPARE, {"version": worse.version, "force": "on", "reason": "  "})
    assert response.status_code == 409 and "Give the reason" in response.content.decode()
    worse.refresh_from_db()
    assert not worse.is_active


def test_a_forced_activation_with_a_reason_is_recorded_and_audited(client, admin_user, versions_to_activate):
    worse, active = versions_to_activate
    url = f"{COMPARE}?v={worse.version}&v={active.version}"
    response = client.post(url, {"version": worse.version, "force": "on", "reason": "the old one flags a slur"})
    assert response.status_code == 302 and response["Location"] == url
    worse.refresh_from_db()
    assert worse.is_active
    activation = ClassifierActivation.objects.get()
    assert activation.forced and activation.reason == "the old one flags a slur"
    assert activation.activated_by == admin_user.username and activation.previous == active
    event = AuditEvent.objects.get(action=AuditEvent.Action.MODEL_ACTIVATED)
    assert event.actor == admin_user and event.detail["forced"] is True
    page = client.get(url).content.decode()
    assert f"Version {worse.version} is now the active model." in page
    assert f"Activate {active.version}" in page and f"Activate {worse.version}" not in page


# Showing the measures ---------------------------------------------------------------------------------


def test_a_versions_page_shows_its_measures_as_tables_not_json(client, admin_user, versions_to_activate):
    worse, active = versions_to_activate
    page = client.get(reverse("admin:triage_classifierversion_change", args=[worse.pk])).content.decode()
    functional = worse.metrics["dev"]["functional"]
    assert f"{functional['macro_f1']:.3f}" in page and f"{functional['accuracy']:.3f}" in page
    assert "Functional suite: accuracy per phenomenon" in page and "Per-group error rates" in page
    assert "Functional suite targets" in page and re.search(r"\d+ of \d+ met", page)
    assert "by_phenomenon" not in page and "&quot;macro_f1&quot;" not in page, "no JSON dump"
    assert '<canvas id="headline-measures-chart"' in page and "js/charts.js" in page
    assert f"v={worse.version}&amp;v={active.version}" in page, "a link to compare it with the active one"


def test_the_tables_carry_every_headline_the_activation_gate_reads():
    from triage.classifier.dev import HEADLINES

    shown = {headline: path for _, _, path, headline in DEV_MEASURES if headline}
    assert shown == HEADLINES


def test_group_error_rates_count_false_alarms_and_misses():
    from triage.classifier_comparison import group_errors

    found = group_errors(
        {
            "by_phenomenon_group": {
                "neutral_mention": {"race": {"cases": 10, "accuracy": 0.8, "flagged": 2}},
                "slur": {"race": {"cases": 5, "accuracy": 0.6, "flagged": 3}},
            }
        }
    )
    assert found["race"]["false_alarm_rate"] == pytest.approx(0.2) and found["race"]["alarms"] == 2
    assert found["race"]["miss_rate"] == pytest.approx(0.4) and found["race"]["missed"] == 2


def test_the_abandoned_thresholds_sit_well_above_the_heartbeat():
    assert classifier_training.GIVE_UP_AFTER_SILENCE >= 10 * classifier_training.HEARTBEAT_EVERY


def test_versions_measured_on_different_data_are_not_compared_on_the_admin_site(
    client, admin_user, versions_to_activate
):
    worse, active = versions_to_activate
    active.metrics["dev"]["data_sha256"] = {"functional suite": "an older suite"}
    active.save()
    response = client.post(COMPARE, {"version": worse.version, "reason": ""})
    assert response.status_code == 409
    page = response.content.decode()
    assert "were not measured on the same data" in page and f"manage.py activate_model {worse.version}" in page
    worse.refresh_from_db()
    assert not worse.is_active


def test_the_admin_sites_activation_loads_no_model(client, admin_user, versions_to_activate, monkeypatch):
    """A web process compares the stored figures: loading an artifact there would be a fault."""
    from triage.classifier import registry

    def refuse(record):
        raise AssertionError(f"{record} was loaded in the web process")

    monkeypatch.setattr(registry, "load_model", refuse)
    worse, _ = versions_to_activate
    response = client.post(COMPARE, {"version": worse.version, "force": "on", "reason": "checking the web path"})
    assert response.status_code == 302
    worse.refresh_from_db()
    assert worse.is_active
