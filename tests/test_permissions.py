"""Who may open what: every page and endpoint, for anonymous visitors and each role."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from triage.operations import CASE_OPERATIONS, REFERRAL_OPERATIONS

pytestmark = pytest.mark.django_db

ANON = "anonymous"
WHO = [ANON, *Role]

V, O, L, A, P = Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.ADMIN, Role.PARTNER  # noqa: E741

# (method, url name) -> expected status per person. Arguments are filled in by the test.
# 302 means "sent to sign in"; for /admin/ non-staff are sent to the admin sign-in, which tells those already
# signed in that the admin site is not for their role (tests/hubsite/test_error_pages.py).
MATRIX = {
    ("GET", "reports:new"): {ANON: 302, V: 200, O: 403, L: 403, A: 403, P: 403},
    # The share sheet's target posts without a CSRF token and only shows the filled-in form; GET sends to the form.
    ("POST", "reports:share"): {ANON: 302, V: 200, O: 403, L: 403, A: 403, P: 403},
    ("GET", "reports:mine"): {ANON: 302, V: 200, O: 403, L: 403, A: 403, P: 403},
    ("GET", "reports:challenge"): {ANON: 302, V: 200, O: 403, L: 403, A: 403, P: 403},
    ("GET", "volunteers:dashboard"): {ANON: 302, V: 200, O: 403, L: 403, A: 403, P: 403},
    # A screenshot: its reporter (another volunteer here, so 404) and officers only.
    ("GET", "reports:screenshot"): {ANON: 302, V: 404, O: 200, L: 404, A: 404, P: 404},
    ("GET", "triage:queue"): {ANON: 302, V: 403, O: 200, L: 403, A: 403, P: 403},
    ("GET", "triage:case"): {ANON: 302, V: 403, O: 200, L: 403, A: 403, P: 403},
    # Officers' actions: a claim succeeds and redirects; an empty note comes back on the page with its message.
    ("POST", "triage:claim"): {ANON: 302, V: 403, O: 302, L: 403, A: 403, P: 403},
    ("POST", "triage:release"): {ANON: 302, V: 403, O: 302, L: 403, A: 403, P: 403},
    ("POST", "triage:case-action"): {ANON: 302, V: 403, O: 200, L: 403, A: 403, P: 403},
    # The queue's forms (closing the ticked cases, saving filters): with nothing ticked it comes back with its
    # message. Another officer's saved filters cannot be deleted (404: nobody learns they exist).
    ("POST", "triage:queue"): {ANON: 302, V: 403, O: 200, L: 403, A: 403, P: 403},
    ("POST", "triage:saved-filter-delete"): {ANON: 302, V: 403, O: 404, L: 403, A: 403, P: 403},
    # Merging: an empty form comes back on the case page with its messages (200, or 400 from the API).
    ("POST", "triage:case-merge"): {ANON: 302, V: 403, O: 200, L: 403, A: 403, P: 403},
    # A referral package: officers, and the liaison of the force it went to (every liaison here).
    # Every referral, for officers (a force's liaison has the portal's own list).
    ("GET", "triage:referrals"): {ANON: 302, V: 403, O: 200, L: 403, A: 403, P: 403},
    ("GET", "triage:referral"): {ANON: 302, V: 404, O: 200, L: 200, A: 404, P: 404},
    ("GET", "triage:referral-json"): {ANON: 302, V: 404, O: 200, L: 200, A: 404, P: 404},
    ("GET", "triage:referral-bundle"): {ANON: 302, V: 404, O: 200, L: 200, A: 404, P: 404},
    # A screenshot in a referral package: officers, and the liaison of the force it went to.
    ("GET", "triage:referral-screenshot"): {ANON: 302, V: 404, O: 200, L: 200, A: 404, P: 404},
    ("GET", "liaison:screenshot"): {ANON: 302, V: 404, O: 200, L: 200, A: 404, P: 404},
    ("GET", "triage:stats"): {ANON: 302, V: 403, O: 200, L: 403, A: 200, P: 403},
    ("GET", "triage:stats-csv"): {ANON: 302, V: 403, O: 200, L: 403, A: 200, P: 403},
    ("GET", "partners:home"): {ANON: 302, V: 403, O: 403, L: 403, A: 403, P: 200},
    ("GET", "liaison:referrals"): {ANON: 302, V: 403, O: 403, L: 200, A: 403, P: 403},
    ("GET", "liaison:referral"): {ANON: 302, V: 403, O: 403, L: 200, A: 403, P: 403},
    ("GET", "liaison:package-json"): {ANON: 302, V: 404, O: 200, L: 200, A: 404, P: 404},
    ("GET", "liaison:package-bundle"): {ANON: 302, V: 404, O: 200, L: 200, A: 404, P: 404},
    ("POST", "liaison:referral-action"): {ANON: 302, V: 403, O: 403, L: 302, A: 403, P: 403},
    ("GET", "api:queue"): {ANON: 403, V: 403, O: 200, L: 403, A: 403, P: 403},
    ("GET", "api:cases"): {ANON: 403, V: 403, O: 200, L: 403, A: 403, P: 403},
    ("GET", "api:case"): {ANON: 403, V: 403, O: 200, L: 403, A: 403, P: 403},
    ("POST", "api:case-claim"): {ANON: 403, V: 403, O: 200, L: 403, A: 403, P: 403},
    ("POST", "api:case-decisions"): {ANON: 403, V: 403, O: 400, L: 403, A: 403, P: 403},
    ("POST", "api:case-merge"): {ANON: 403, V: 403, O: 400, L: 403, A: 403, P: 403},
    ("GET", "api:referrals"): {ANON: 403, V: 403, O: 200, L: 200, A: 403, P: 403},
    ("GET", "api:referral"): {ANON: 403, V: 403, O: 200, L: 200, A: 403, P: 403},
    ("POST", "api:referral-answer"): {ANON: 403, V: 403, O: 403, L: 400, A: 403, P: 403},
    # The partner API puts token authentication first, so no credentials at all is 401 there.
    ("POST", "api:reports"): {ANON: 401, V: 403, O: 403, L: 403, A: 403, P: 400},
    ("GET", "api:reports"): {ANON: 401, V: 403, O: 403, L: 403, A: 403, P: 200},
    # Another organisation's report (a volunteer's here): a partner may not know it exists.
    ("GET", "api:report"): {ANON: 401, V: 403, O: 403, L: 403, A: 403, P: 404},
    # One endpoint per operation: with nothing filled in, each is refused with why (400), except those that need
    # no input: recording a platform report and, for the force, acknowledging receipt.
    **{
        ("POST", f"api:case-{name}"): {
            ANON: 403,
            V: 403,
            O: 200 if name == "report-to-platform" else 400,
            L: 403,
            A: 403,
            P: 403,
        }
        for name in CASE_OPERATIONS
    },
    **{
        ("POST", f"api:referral-{name}"): {
            ANON: 403,
            V: 403,
            O: 403,
            L: 200 if name == "acknowledge" else 400,
            A: 403,
            P: 403,
        }
        for name in REFERRAL_OPERATIONS
    },
    # Everyone signed in has their own notifications and choices (nobody reads another's: tests/notifications).
    ("GET", "notifications:list"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    ("GET", "notifications:settings"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    # An empty form: refused with its messages for roles that receive notifications; nothing to choose for others.
    ("POST", "notifications:settings"): {ANON: 302, V: 200, O: 200, L: 200, A: 302, P: 302},
    ("POST", "notifications:mark-all-read"): {ANON: 302, V: 302, O: 302, L: 302, A: 302, P: 302},
    ("GET", "schema"): {ANON: 403, V: 200, O: 200, L: 200, A: 200, P: 200},
    # The documentation is a page for people: a visitor is sent to sign in (so is a browser asking for the schema).
    ("GET", "api-docs"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    ("GET", "admin:index"): {ANON: 302, V: 302, O: 302, L: 302, A: 200, P: 302},
    # Adding a volunteer in one screen: admins only; an empty form comes back on the page with its messages.
    ("GET", "admin:volunteers_volunteerprofile_add_volunteer"): {ANON: 302, V: 302, O: 302, L: 302, A: 200, P: 302},
    ("POST", "admin:volunteers_volunteerprofile_add_volunteer"): {ANON: 302, V: 302, O: 302, L: 302, A: 200, P: 302},
    ("GET", "home"): {ANON: 302, V: 302, O: 302, L: 302, A: 200, P: 302},
    # The installable web app's manifest and service worker say nothing about anyone: browsers fetch them signed out.
    ("GET", "manifest"): dict.fromkeys(WHO, 200),
    ("GET", "service-worker"): dict.fromkeys(WHO, 200),
    ("GET", "healthz"): dict.fromkeys(WHO, 200),
    ("GET", "readyz"): dict.fromkeys(WHO, 200),
    ("GET", "two_factor:login"): {ANON: 200, V: 302, O: 302, L: 302, A: 302, P: 302},
    # Everyone signed in here has set up their second step, so the setup sends them on.
    ("GET", "two_factor:profile"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    ("GET", "two_factor:setup"): {ANON: 302, V: 302, O: 302, L: 302, A: 302, P: 302},
    ("GET", "two_factor:qr"): {ANON: 302, V: 404, O: 404, L: 404, A: 404, P: 404},
    ("GET", "two_factor:setup_complete"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    ("GET", "two_factor:backup_tokens"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    # Staff roles must keep it: their request to turn it off is sent back.
    ("GET", "two_factor:disable"): {ANON: 302, V: 200, O: 302, L: 302, A: 302, P: 200},
    # A forgotten password: open to anyone, as the e-mailed link is. A link that is not right says so (200).
    ("GET", "password_reset"): dict.fromkeys(WHO, 200),
    ("GET", "password_reset_done"): dict.fromkeys(WHO, 200),
    ("GET", "password_reset_confirm"): dict.fromkeys(WHO, 200),
    ("GET", "password_reset_complete"): dict.fromkeys(WHO, 200),
    ("GET", "invitation_confirm"): dict.fromkeys(WHO, 200),
    # Signed-in devices: each person's own; another person's session is not theirs to know of (404).
    ("GET", "password_change"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    ("GET", "signed_in_devices"): {ANON: 302, V: 200, O: 200, L: 200, A: 200, P: 200},
    ("POST", "sign_out_other_devices"): {ANON: 302, V: 302, O: 302, L: 302, A: 302, P: 302},
    ("POST", "sign_out_device"): {ANON: 302, V: 404, O: 404, L: 404, A: 404, P: 404},
}


def _referral():
    from triage.casework import case_refer
    from triage.models import Force, Offence

    return case_refer(
        case=ReportFactory().case,
        officer=UserFactory(role=O),
        force=Force.objects.get(slug=REFERRAL_FORCE),
        offences=Offence.objects.all()[:1],
        summary="Threatening post.",
    )


def _referral_screenshot():
    from django.core.files.base import ContentFile

    referral = _referral()
    report = referral.case.reports.get()
    report.screenshot.save("shot.png", ContentFile(b"\x89PNG not checked here"))
    return [referral.pk, report.pk]


def _bundled_referral():
    """A referral whose bundle carries a screenshot."""
    return _referral_screenshot()[:1]


def _someone_elses_session():
    from django.test import Client

    from hubsite.models import SignedInSession

    someone = UserFactory(role=V)
    Client().force_login(someone)
    return [SignedInSession.objects.get(user=someone).pk]


REFERRAL_FORCE = "west-midlands-police"
URL_ARGUMENTS = {
    "triage:case-action": lambda: [ReportFactory().case_id, "note"],
    "api:case": lambda: [ReportFactory().case_id],
    "api:case-claim": lambda: [ReportFactory().case_id],
    "api:case-decisions": lambda: [ReportFactory().case_id],
    "api:case-merge": lambda: [ReportFactory().case_id],
    "triage:case-merge": lambda: [ReportFactory().case_id],
    "api:referral": lambda: [_referral().pk],
    "api:referral-answer": lambda: [_referral().pk],
    "triage:claim": lambda: [ReportFactory().case_id],
    "triage:release": lambda: [ReportFactory().case_id],
    "triage:referral": lambda: [_referral().pk],
    "triage:referral-json": lambda: [_referral().pk],
    "triage:referral-bundle": _bundled_referral,
    "triage:referral-screenshot": _referral_screenshot,
    "liaison:screenshot": _referral_screenshot,
    "triage:stats-csv": lambda: ["per-day"],
    "triage:saved-filter-delete": lambda: [_someone_elses_saved_filter().pk],
    "password_reset_confirm": lambda: ["MQ", "not-a-token"],
    "liaison:referral": lambda: [_referral().pk],
    "liaison:package-json": lambda: [_referral().pk],
    "api:report": lambda: [ReportFactory().pk],
    "liaison:package-bundle": _bundled_referral,
    "liaison:referral-action": lambda: [_referral().pk, "acknowledge"],
    "invitation_confirm": lambda: ["MQ", "not-a-token"],
    "sign_out_device": _someone_elses_session,
    **{f"api:case-{name}": lambda: [ReportFactory().case_id] for name in CASE_OPERATIONS},
    **{f"api:referral-{name}": lambda: [_referral().pk] for name in REFERRAL_OPERATIONS},
}


def _someone_elses_saved_filter():
    from triage.models import SavedFilter

    return SavedFilter.objects.create(owner=UserFactory(role=O), name="Threats", query="flag=threat_of_violence")


def _url(name: str) -> str:
    if name in URL_ARGUMENTS:
        return reverse(name, args=URL_ARGUMENTS[name]())
    if name == "triage:case":
        return reverse(name, args=[ReportFactory().case_id])
    if name == "reports:screenshot":
        from django.core.files.base import ContentFile

        report = ReportFactory()
        report.screenshot.save("shot.png", ContentFile(b"\x89PNG not checked here"))
        return reverse(name, args=[report.pk])
    return reverse(name)


@pytest.mark.parametrize("who", WHO, ids=str)
@pytest.mark.parametrize(("method", "name"), MATRIX, ids=lambda value: str(value))
def test_each_page_answers_each_person_as_expected(client, method, name, who, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = _url(name)
    if who != ANON:
        person = UserFactory(role=who)
        if who == L:  # a liaison of the force the test's referrals go to
            from triage.models import Force, ForceLiaison

            ForceLiaison.objects.create(user=person, force=Force.objects.get(slug=REFERRAL_FORCE))
        sign_in_verified(client, person)
    response = client.generic(method, url)
    assert response.status_code == MATRIX[method, name][who], f"{who} {method} {url}"
    if response.status_code == 302 and who == ANON and method == "GET":
        landed = client.get(url, follow=True).redirect_chain[-1][0]
        assert landed.startswith(reverse("two_factor:login")), f"anonymous {url} ends at {landed}"


def test_anonymous_visitors_are_sent_to_sign_in_and_back(client):
    response = client.get(reverse("reports:new"))
    assert response["Location"] == f"{reverse('two_factor:login')}?next={reverse('reports:new')}"


def test_the_matrix_covers_every_named_url():
    from django.urls import get_resolver

    def names(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                if pattern.namespace == "admin":
                    continue
                yield from names(pattern, inner)
            elif pattern.name:
                yield f"{namespace}{pattern.name}"

    uncovered = set(names(get_resolver())) - {name for _, name in MATRIX} - {"logout"}
    assert not uncovered, f"add these to MATRIX: {sorted(uncovered)}"


def test_sign_out_is_post_only_and_ends_the_session(client):
    client.force_login(UserFactory(role=Role.VOLUNTEER))
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("reports:mine")).status_code == 302


# The admin site, model by model: what the admin role may open there. Anyone else is sent to the admin's
# sign-in. A model newly registered in the admin without a line here fails the test below.
ADMIN_CHANGELISTS = {
    "auth.group": 200,  # admins see the roles, to give them; their permissions are set by migrations
    "hubsite.partnerorganisation": 200,
    "hubsite.partnertoken": 200,  # issued and revoked here; the token itself is shown once
    "axes.accessattempt": 200,  # to lift a brute-force pause
    "axes.accessfailurelog": 403,
    "axes.accesslog": 403,
    "hubsite.auditevent": 200,
    "hubsite.user": 200,
    "otp_static.staticdevice": 200,  # a lost phone: remove the device, they set up again
    "otp_totp.totpdevice": 200,
    "reports.category": 200,
    "reports.counterspeech": 200,
    "reports.report": 200,
    "triage.case": 200,
    "triage.caseevent": 200,
    "triage.classifieractivation": 200,
    "triage.classifiertraining": 200,  # retrainings started from the classifier versions page
    "triage.classifierversion": 200,
    "triage.force": 200,
    "triage.forceliaison": 200,
    "triage.offence": 200,
    "triage.referral": 200,
    "volunteers.trainingmodule": 200,
    "volunteers.trainingrecord": 200,
    "volunteers.volunteerprofile": 200,
}


def test_every_model_in_the_admin_has_an_expected_answer():
    from django.contrib import admin

    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry}
    assert registered == set(ADMIN_CHANGELISTS), (
        f"add to ADMIN_CHANGELISTS: {sorted(registered - set(ADMIN_CHANGELISTS))}"
    )


@pytest.mark.parametrize("who", WHO, ids=str)
def test_each_admin_page_answers_each_person_as_expected(client, who):
    if who != ANON:
        sign_in_verified(client, UserFactory(role=who))
    for model, admins_get in ADMIN_CHANGELISTS.items():
        url = reverse(f"admin:{model.replace('.', '_')}_changelist")
        response = client.get(url)
        if who == A:
            assert response.status_code == admins_get, f"{who} {url}"
        else:
            assert response.status_code == 302 and reverse("admin:login") in response["Location"], f"{who} {url}"
