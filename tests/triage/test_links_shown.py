"""A link is shown as what it does: direction-changing and invisible characters in it are marked, wherever
officers, forces and volunteers read it."""

import re

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from triage import casework
from triage.models import Force, Offence

pytestmark = pytest.mark.django_db

# Shown raw, "…/status/43/\u202egpj.exe" reads as "…/status/43/exe.jpg".
DISGUISED = "https://x.com/someone/status/43/\u202egpj.exe"


def shown_text(html: str) -> str:
    """What a reader sees: the page's text without its tags (attributes such as href are not shown)."""
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def referral():
    report = ReportFactory(post_url=DISGUISED, normalised_url=DISGUISED)
    return casework.case_refer(
        case=report.case,
        officer=UserFactory(role=Role.OFFICER),
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Disguised link",
    )


def test_the_case_page_marks_hidden_characters_in_links(client, referral):
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    text = shown_text(client.get(reverse("triage:case", args=[referral.case_id])).content.decode())
    assert "status/43/[U+202E]gpj.exe" in text
    assert "\u202e" not in text


def test_the_referral_package_marks_them_for_officers_and_for_the_force(client, referral):
    from triage.models import ForceLiaison

    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    text = shown_text(client.get(reverse("triage:referral", args=[referral.pk])).content.decode())
    assert "status/43/[U+202E]gpj.exe" in text and "\u202e" not in text

    liaison = UserFactory(role=Role.LIAISON)
    ForceLiaison.objects.create(user=liaison, force=referral.force)
    sign_in_verified(client, liaison)
    text = shown_text(client.get(reverse("liaison:referral", args=[referral.pk])).content.decode())
    assert "status/43/[U+202E]gpj.exe" in text and "\u202e" not in text


def test_the_volunteers_own_page_marks_them_in_their_replies(client):
    from django.utils import timezone

    from triage.intake import counter_speech_log

    volunteer = UserFactory(role=Role.VOLUNTEER)
    ReportFactory(reporter=volunteer, post_url=DISGUISED, normalised_url=DISGUISED)
    counter_speech_log(
        volunteer=volunteer, post_url=DISGUISED, reply_url="https://x.com/me/status/44", replied_at=timezone.now()
    )
    sign_in_verified(client, volunteer)
    text = shown_text(client.get(reverse("reports:mine")).content.decode())
    assert "[U+202E]gpj.exe" in text and "\u202e" not in text
