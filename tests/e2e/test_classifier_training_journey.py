"""An admin retrains the classifier from the versions page, follows it, compares (the charts drawn under the CSP)
and tries to activate it."""

import pytest

from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import DESKTOP, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.e2e.test_stats_journey import ALL_DRAWN, WATCH_CSP
from tests.factories import UserFactory
from triage.models import ClassifierTraining


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_retrains_follows_it_and_the_gate_answers_on_the_page(
    live_server, reference_data, active_model, new_page, settings, tmp_path
):
    settings.BROKER_CONFIGURED = True
    settings.CLASSIFIER_DATA_DIR = tmp_path / "no-public-data"  # the light recipe: the functional suite only
    admin_user = UserFactory(role=Role.ADMIN)
    authenticator(admin_user)

    page = new_page(DESKTOP)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, admin_user.username)
    page.goto(f"{live_server.url}/admin/triage/classifierversion/")
    assert_accessible(page)
    page.get_by_role("link", name="Retrain").click()
    assert_accessible(page)
    page.get_by_label("Light recipe (seed corpus only)").check()
    page.get_by_label("Seed", exact=True).fill("1")
    # Tasks run in-process in tests, once the record is committed: the page that follows shows it done.
    # The training runs inside that request here (two fits of the seed corpus), so allow it a minute.
    with page.expect_navigation(timeout=90_000):
        page.get_by_role("button", name="Start training").click(no_wait_after=True)
    page.get_by_text("Done: version").wait_for(timeout=30_000)
    assert_accessible(page)
    training = ClassifierTraining.objects.get()
    assert training.status == ClassifierTraining.Status.DONE and "Training on" in page.content()

    page.get_by_role("link", name=f"Compare {training.version.version} with the active version").click()
    page.get_by_role("heading", name="Classifier versions side by side").wait_for()
    assert page.get_by_text("Functional suite: accuracy per phenomenon").is_visible()
    page.wait_for_function(ALL_DRAWN)
    drawn = page.eval_on_selector_all("canvas[data-chart-data]", "canvases => canvases.map(canvas => canvas.id)")
    assert "headline-measures-chart" in drawn and "false-alarms-chart" in drawn and "hate-missed-chart" in drawn
    assert page.evaluate("window.cspRefusals") == []
    assert_accessible(page)
    version = training.version.version
    page.get_by_label("Activate even if it measures worse").check()
    page.get_by_role("button", name=f"Activate {version}").click()
    page.get_by_role("alert").first.wait_for()
    assert "Give the reason" in page.get_by_role("alert").first.inner_text(), "forcing needs a reason"
    assert_accessible(page, expected_status=409)
    page.get_by_label("Reason (needed to force it; kept with the activation)").fill("trying the light model")
    page.get_by_role("button", name=f"Activate {version}").click()
    page.get_by_text(f"Version {version} is now the active model.").wait_for()
    assert_accessible(page)

    # A training in progress: the page updates itself when the worker writes.
    ClassifierTraining.objects.filter(pk=training.pk).update(status="running", progress="[1/1] reading seed")
    page.goto(f"{live_server.url}/admin/triage/classifiertraining/{training.pk}/change/")
    assert_accessible(page)
    ClassifierTraining.objects.filter(pk=training.pk).update(status="done", progress="[1/1] reading seed\nall done")
    page.get_by_text("all done").wait_for(timeout=15_000)
    assert page.locator("#training-announce").inner_text().startswith("Done")
