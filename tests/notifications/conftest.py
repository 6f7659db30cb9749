"""People and a reported post for the notification tests."""

import pytest

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory

# What must never leave the Hub in a notification: the post's words, who posted it, who reported it.
POST_TEXT = "They are vermin and should be thrown out of Leeds"
HANDLE = "@poster_of_hate"


@pytest.fixture
def reported(db):
    """A post two volunteers and a partner organisation reported: (case, [volunteer reports], partner report)."""
    first = ReportFactory(captured_text=POST_TEXT, author_handle=HANDLE, reporter__username="alice_volunteer")
    second = ReportFactory(
        case=first.case, captured_text=POST_TEXT, author_handle=HANDLE, reporter__username="bob_volunteer"
    )
    partner = ReportFactory(case=first.case, captured_text=POST_TEXT, reporter=UserFactory(role=Role.PARTNER))
    return first.case, [first, second], partner


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.OFFICER, username="olive_officer")


@pytest.fixture
def kent_liaison(db):
    from triage.models import Force, ForceLiaison

    person = UserFactory(role=Role.LIAISON, username="kent_liaison")
    ForceLiaison.objects.create(user=person, force=Force.objects.get(slug="kent-police"))
    return person
