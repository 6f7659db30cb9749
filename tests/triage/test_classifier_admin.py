"""The classifier's admin screens: versions side by side, score distributions, activation history."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from triage.models import ClassifierActivation, ClassifierVersion

pytestmark = pytest.mark.django_db


def _metrics(auc: float, macro_f1: float, disability_fpr: float) -> dict:
    return {
        "held_out": {
            "hateful": {"roc_auc": auc, "precision": 0.8, "recall": 0.7, "f1": 0.75},
            "categories": {"race": {"f1": 0.61}},
            "groups": {
                "disability": {"fpr": disability_fpr, "miss_rate": 0.2},
                "religion": {"fpr": 0.05, "miss_rate": 0.3},
            },
            "score_histogram": [40, 20, 10, 5, 5, 4, 3, 3, 5, 9],
        },
        "functional": {"accuracy": 0.8, "macro_f1": macro_f1, "by_phenomenon": {"negated hate": {"accuracy": 0.55}}},
    }


@pytest.fixture
def versions():
    old = ClassifierVersion.objects.create(
        version="v-old", artifact_path="old.skops", artifact_sha256="0" * 64, metrics=_metrics(0.801, 0.702, 0.31)
    )
    new = ClassifierVersion.objects.create(
        version="v-new",
        artifact_path="new.skops",
        artifact_sha256="1" * 64,
        is_active=True,
        trained_by="trainer",
        metrics=_metrics(0.873, 0.754, 0.12),
    )
    ClassifierActivation.objects.create(version=old, activated_by="first-admin")
    ClassifierActivation.objects.create(
        version=new, previous=old, activated_by="second-admin", forced=True, reason="worse on one phenomenon only"
    )
    return old, new


def test_the_version_list_shows_metrics_and_which_is_active(client, sign_in, versions):
    sign_in(Role.ADMIN)
    page = client.get(reverse("admin:triage_classifierversion_changelist")).content.decode()
    assert "v-old" in page and "v-new" in page
    assert "0.873" in page and "0.754" in page, "held-out ROC-AUC and functional macro-F1 are columns"
    assert "0.310 (disability)" in page, "the group it errs most on, with its false-positive rate"
    assert reverse("admin:triage_classifierversion_compare") in page


def test_versions_side_by_side_with_group_errors_charts_and_who_activated_them(client, sign_in, versions):
    old, new = versions
    ReportFactory(score=0.93, model_version="v-new")
    ReportFactory(score=0.12, model_version="v-new")
    sign_in(Role.ADMIN)
    response = client.get(reverse("admin:triage_classifierversion_compare"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("v-new") < page.index("v-old"), "newest first"
    assert "(active)" in page
    for figure in ("0.801", "0.873", "0.702", "0.754", "0.310", "0.120", "0.550", "0.610"):
        assert figure in page, figure
    assert "Functional suite: accuracy per phenomenon" in page and "negated hate" in page
    assert '<svg class="chart' not in page, "every chart is drawn by Chart.js"
    charts = {chart.slug: chart for chart in response.context["charts"]}
    assert list(charts) == ["headline-measures"], "the functional suite's macro-F1 is the one headline recorded"
    headline = charts["headline-measures"].data
    assert headline["series"] == [
        {"name": "v-new", "values": [None, None, None, 0.754]},
        {"name": "v-old", "values": [None, None, None, 0.702]},
    ], "one series a version, newest first; nothing drawn where nothing was measured"
    assert headline["valueMax"] == 1 and headline["decimals"] == 3
    histograms = [column[kind] for column in response.context["columns"] for kind in ("held_out_chart", "live_chart")]
    assert [chart.slug if chart else None for chart in histograms] == [
        f"scores-{new.pk}-held-out",
        f"scores-{new.pk}-reports",
        f"scores-{old.pk}-held-out",
        None,
    ], "two held-out histograms and one of reports scored"
    live = histograms[1].data
    assert live["series"] == [{"name": "reports", "values": [0, 1, 0, 0, 0, 0, 0, 0, 0, 1]}]
    assert live["labels"][9] == "0.9–1.0" and live["fullLabels"][9] == "scores from 0.9 to 1.0"
    # Each chart's canvas names the data beside it, says in words what it shows, and keeps its figures in a table.
    for chart in [*charts.values(), *filter(None, histograms)]:
        assert f'<canvas id="{chart.slug}-chart" role="img" aria-label="{chart.summary}"' in page
        assert f'data-chart-data="{chart.data_id}"' in page and f'id="{chart.data_id}"' in page
    assert (
        "Bar chart: v-new: scores given to reports. Reports: 2 in all, most for scores from 0.1 to 0.2 (1)."
    ) in page
    assert '<th scope="row">scores from 0.9 to 1.0</th><td class="compare-figure">1</td>' in page
    assert '<th scope="row">Functional macro-F1</th><td class="compare-figure">0.754</td>' in page
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/charts.js" in page
    assert "2 reports scored" in page
    assert "second-admin" in page and "worse on one phenomenon only" in page and "first-admin" in page


def test_chosen_versions_only(client, sign_in, versions):
    sign_in(Role.ADMIN)
    page = client.get(reverse("admin:triage_classifierversion_compare"), {"v": "v-old"}).content.decode()
    assert "0.801" in page and "0.873" not in page


def test_the_compare_action_opens_the_side_by_side_page(client, sign_in, versions):
    old, new = versions
    sign_in(Role.ADMIN)
    response = client.post(
        reverse("admin:triage_classifierversion_changelist"),
        {"action": "compare_selected", "_selected_action": [old.pk, new.pk]},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:triage_classifierversion_compare"))
    assert "v=v-old" in response["Location"] and "v=v-new" in response["Location"]


def test_compare_page_with_no_versions_says_how_to_train_one(client, sign_in):
    sign_in(Role.ADMIN)
    page = client.get(reverse("admin:triage_classifierversion_compare")).content.decode()
    assert "No model has been trained yet" in page


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER])
def test_other_roles_are_sent_to_the_admin_sign_in(client, sign_in, role, versions):
    sign_in(role)
    for name in ("admin:triage_classifierversion_compare", "admin:triage_classifieractivation_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_anonymous_is_sent_to_the_admin_sign_in(client, versions):
    response = client.get(reverse("admin:triage_classifierversion_compare"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_without_the_permission_is_refused(client, versions):
    sign_in_verified(client, UserFactory(is_staff=True))
    assert client.get(reverse("admin:triage_classifierversion_compare")).status_code == 403


def test_activation_history_is_read_only(client, sign_in, versions):
    sign_in(Role.ADMIN)
    activation = ClassifierActivation.objects.get(activated_by="second-admin")
    listing = client.get(reverse("admin:triage_classifieractivation_changelist"))
    assert listing.status_code == 200 and "second-admin" in listing.content.decode()
    change_url = reverse("admin:triage_classifieractivation_change", args=[activation.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {"activated_by": "someone-else"}).status_code == 403
    delete_url = reverse("admin:triage_classifieractivation_delete", args=[activation.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    activation.refresh_from_db()
    assert activation.activated_by == "second-admin"


def test_a_version_cannot_be_switched_on_from_the_admin(client, sign_in, versions):
    old, new = versions
    sign_in(Role.ADMIN)
    change_url = reverse("admin:triage_classifierversion_change", args=[old.pk])
    assert client.post(change_url, {"is_active": "on"}).status_code == 403
    old.refresh_from_db()
    assert not old.is_active


def test_the_timeline_is_read_only_in_the_admin(client, sign_in):
    from triage.casework import case_add_note
    from triage.models import CaseEvent

    report = ReportFactory()
    event = case_add_note(case=report.case, officer=UserFactory(role=Role.OFFICER), note="original")
    sign_in(Role.ADMIN)
    listing = client.get(reverse("admin:triage_caseevent_changelist"))
    assert listing.status_code == 200 and "original" in listing.content.decode()
    change_url = reverse("admin:triage_caseevent_change", args=[event.pk])
    assert client.post(change_url, {"note": "rewritten"}).status_code == 403
    assert client.post(reverse("admin:triage_caseevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:triage_caseevent_changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert bulk.status_code in (200, 302)
    assert CaseEvent.objects.get(pk=event.pk).note == "original"


def test_admins_extend_the_offence_list_and_link_liaison_users_to_forces(client, sign_in):
    from triage.models import Force, ForceLiaison, Offence

    sign_in(Role.ADMIN)
    added = client.post(
        reverse("admin:triage_offence_add"),
        {"name": "Football (Offences) Act 1991, s.3", "slug": "foa-s3", "is_active": "on", "position": "80"},
    )
    assert added.status_code == 302 and Offence.objects.filter(slug="foa-s3").exists()
    liaison = UserFactory(role=Role.LIAISON)
    linked = client.post(
        reverse("admin:triage_forceliaison_add"),
        {"user": liaison.pk, "force": Force.objects.get(slug="kent-police").pk},
    )
    assert linked.status_code == 302 and ForceLiaison.objects.get(user=liaison).force.slug == "kent-police"
