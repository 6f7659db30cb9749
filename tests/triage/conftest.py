"""Fixtures shared by the desk's tests: a referral, liaison users of a force, and an officer signed in to the API."""

import pytest
from rest_framework.test import APIClient

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory


@pytest.fixture
def kent_referral(db):
    """A case referred to Kent Police by an officer."""
    from triage.casework import case_refer
    from triage.models import Force, Offence

    return case_refer(
        case=ReportFactory().case,
        officer=UserFactory(role=Role.OFFICER),
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="For Kent.",
    )


@pytest.fixture
def liaison_of(db):
    """Make a liaison user of the force with this slug."""
    from triage.models import Force, ForceLiaison

    def make(slug: str):
        person = UserFactory(role=Role.LIAISON)
        ForceLiaison.objects.create(user=person, force=Force.objects.get(slug=slug))
        return person

    return make


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_officer(api):
    """An officer, signed in to ``api``."""
    person = UserFactory(role=Role.OFFICER)
    api.force_authenticate(person)
    return person
