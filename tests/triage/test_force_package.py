"""What a force reads in a referral package: the evidence with its screenshots, the summary, reporters by
pseudonym and the case's history, without the Hub's internal notes or its staff's usernames unless an
officer shared a note with the force. Officers read everything."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from tests.images import image_upload
from triage import casework
from triage.models import CaseEvent, Force, Offence

pytestmark = pytest.mark.django_db

INTERNAL = "Internal: the reporter is a known troll, keep an eye on them"
SHARED = "For Kent: the same account posted the address of the mosque yesterday"


@pytest.fixture
def referred(settings, tmp_path):
    """A case with an internal note and a shared one, claimed by one officer and referred by another to Kent,
    its report carrying a screenshot."""
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory(captured_text="We know where the mosque is")
    report.screenshot.save("shot.png", ContentFile(image_upload().read()))
    claimer = UserFactory(role=Role.OFFICER, username="officer_claimer")
    sender = UserFactory(role=Role.OFFICER, username="officer_sender")
    casework.case_claim(case=report.case, officer=claimer)
    casework.case_add_note(case=report.case, officer=claimer, note=INTERNAL)
    casework.case_add_note(case=report.case, officer=claimer, note=SHARED, for_force=True)
    casework.case_release(case=report.case, officer=claimer)
    referral = casework.case_refer(
        case=report.case,
        officer=sender,
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Threat against a mosque.",
    )
    return referral, report


def _package_views(client, referral) -> dict[str, str]:
    """The printable page (both addresses), the liaison page, the JSON download and the API, as text."""
    api = APIClient()
    api.force_authenticate(client.session_user)
    return {
        "liaison page": client.get(reverse("liaison:referral", args=[referral.pk])).content.decode(),
        "printable": client.get(reverse("triage:referral", args=[referral.pk])).content.decode(),
        "json": client.get(reverse("liaison:package-json", args=[referral.pk])).content.decode(),
        "api": json.dumps(api.get(reverse("api:referral", args=[referral.pk])).json()),
    }


def test_a_liaison_reads_the_history_without_internal_notes_or_staff_usernames(client, referred, liaison_of):
    referral, report = referred
    liaison = liaison_of("kent-police")
    sign_in_verified(client, liaison)
    client.session_user = liaison
    for where, shown in _package_views(client, referral).items():
        assert INTERNAL not in shown, where
        assert "officer_sender" not in shown, where
        assert SHARED in shown, where
        # The shared note carries its author: the force may need to call them.
        assert "officer_claimer" in shown, where
        assert report.reporter.volunteer.pseudonym in shown, where
        assert report.reporter.username not in shown, where
        assert "an officer of the Hub" in shown, where
        assert "Threat against a mosque." in shown, where
        assert "We know where the mosque is" in shown, where

    data = json.loads(_package_views(client, referral)["json"])
    kinds = [(event["what"], event["who"], event["note"]) for event in data["timeline"]]
    assert ("Claimed", "an officer of the Hub", "") in kinds
    assert ("Note", "an officer of the Hub", "") in kinds
    assert ("Note", "officer_claimer", SHARED) in kinds
    assert data["referral"]["sent_by"] == "an officer of the Hub"
    assert [event["who"] for event in data["timeline"]].count(
        "an officer of the Hub"
    ) == 4  # claim, note, release, referral


def test_the_forces_own_answers_read_as_written_and_another_forces_do_not(client, referred, liaison_of):
    referral, _ = referred
    kent = liaison_of("kent-police")
    casework.referral_accept(referral=referral, liaison=kent, crime_reference="46/1234/26")
    sign_in_verified(client, kent)
    data = json.loads(client.get(reverse("liaison:package-json", args=[referral.pk])).content)
    assert data["timeline"][-1]["note"] == "Kent Police accepted it as crime 46/1234/26."
    assert data["timeline"][-1]["who"] == kent.username


def test_officers_read_the_whole_timeline(client, referred, sign_in):
    referral, _ = referred
    officer = sign_in(Role.OFFICER)
    client.session_user = officer
    views = _package_views(client, referral)
    for where in ("printable", "api"):
        shown = views[where]
        assert INTERNAL in shown and SHARED in shown, where
        assert "officer_sender" in shown and "officer_claimer" in shown, where
        assert "an officer of the Hub" not in shown, where
    data = json.loads(client.get(reverse("triage:referral-json", args=[referral.pk])).content)
    assert [event["shared_with_force"] for event in data["timeline"] if event["what"] == "Note"] == [False, True]


def test_the_case_page_and_the_api_mark_a_note_for_the_force_as_it_is_written(client, sign_in):
    officer = sign_in(Role.OFFICER)
    case = ReportFactory().case
    url = reverse("triage:case-action", args=[case.pk, "note"])
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert "Share with the force" in page
    client.post(url, {"note-note": "Internal only"})
    client.post(url, {"note-note": "Tell the force", "note-for_force": "on"})
    api = APIClient()
    api.force_authenticate(officer)
    decide = reverse("api:case-decisions", args=[case.pk])
    assert api.post(decide, {"decision": "note", "note": "API, shared", "for_force": True}).status_code == 200
    assert api.post(decide, {"decision": "note", "note": "API, internal"}).status_code == 200
    notes = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE).values_list("note", "for_force")
    assert list(notes) == [
        ("Internal only", False),
        ("Tell the force", True),
        ("API, shared", True),
        ("API, internal", False),
    ]
    page = client.get(reverse("triage:case", args=[case.pk])).content.decode()
    assert page.count("shared with the force</span>") == 2
    timeline = api.get(reverse("api:case", args=[case.pk])).json()["timeline"]
    assert [event["shared_with_force"] for event in timeline if event["kind"] == "note"] == [False, True, True, False]


# Screenshots ------------------------------------------------------------------------------------------------


def test_the_package_shows_the_screenshot_to_the_forces_liaison_and_audits_the_read(client, referred, liaison_of):
    referral, report = referred
    liaison = liaison_of("kent-police")
    sign_in_verified(client, liaison)
    address = reverse("liaison:screenshot", args=[referral.pk, report.pk])
    page = client.get(reverse("liaison:referral", args=[referral.pk])).content.decode()
    assert f'<img class="screenshot" src="{address}"' in page
    assert "held by the Hub" not in page
    printable = client.get(reverse("triage:referral", args=[referral.pk])).content.decode()
    assert f'src="{address}"' in printable
    data = json.loads(client.get(reverse("liaison:package-json", args=[referral.pk])).content)
    assert data["evidence"][0]["screenshot_url"] == address

    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    entry = AuditEvent.objects.filter(actor=liaison, action=AuditEvent.Action.SCREENSHOT_VIEWED).get()
    assert (entry.object_type, entry.object_id, entry.detail["referral"]) == (
        "reports.report",
        str(report.pk),
        referral.pk,
    )


def test_a_screenshot_is_refused_to_another_force_to_volunteers_and_outside_the_referral(
    client, referred, liaison_of, settings
):
    referral, report = referred
    address = reverse("liaison:screenshot", args=[referral.pk, report.pk])
    officers_address = reverse("triage:referral-screenshot", args=[referral.pk, report.pk])
    for person in (liaison_of("essex-police"), UserFactory(role=Role.VOLUNTEER), report.reporter):
        sign_in_verified(client, person)
        assert client.get(address).status_code == 404, person
        assert client.get(officers_address).status_code == 404, person
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SCREENSHOT_VIEWED).exists()

    # The force's own liaison, asking for a report of a case never referred to them.
    other = ReportFactory()
    other.screenshot.save("shot.png", ContentFile(image_upload().read()))
    sign_in_verified(client, liaison_of("kent-police"))
    assert client.get(reverse("liaison:screenshot", args=[referral.pk, other.pk])).status_code == 404

    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    assert client.get(officers_address).status_code == 200
    page = client.get(reverse("triage:referral", args=[referral.pk])).content.decode()
    assert f'src="{officers_address}"' in page


def test_another_forces_answer_is_shown_as_another_force_without_its_words(referred):
    from triage.models import ForceLiaison
    from triage.packages import ANOTHER_FORCE, referral_package

    referral, _ = referred
    essex = UserFactory(role=Role.LIAISON, username="essex_liaison")
    ForceLiaison.objects.create(user=essex, force=Force.objects.get(slug="essex-police"))
    CaseEvent.objects.create(
        case=referral.case, kind=CaseEvent.Kind.REFERRAL_UPDATED, actor=essex, note="Essex declined: not our area"
    )
    kent = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=kent, force=referral.force)
    (entry,) = [item for item in referral_package(referral, viewer=kent)["timeline"] if item["who"] == ANOTHER_FORCE]
    assert entry["note"] == "" and entry["what"] == "Referral updated"
    assert "essex_liaison" not in json.dumps(referral_package(referral, viewer=kent), default=str)
