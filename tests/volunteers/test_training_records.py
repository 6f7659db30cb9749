"""Whether a record passed and when it expires are worked out by one service, whichever way the record arrives:
the admin's form, the CSV import, or a session recorded for several volunteers at once."""

from datetime import date

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import UserFactory
from tests.volunteers.test_import_export import confirm, upload
from volunteers.models import TrainingModule, TrainingRecord

pytestmark = pytest.mark.django_db

COMPLETED = date(2025, 1, 31)
# Thirteen months on from 31 January is the last day of a February.
EXPIRES = date(2026, 2, 28)


@pytest.fixture
def first_aid():
    return TrainingModule.objects.create(slug="first-aid", title="First aid", validity_months=13, pass_mark=70)


def _score(score) -> str:
    return "" if score is None else str(score)


def in_the_admin_form(client, volunteer, module, score):
    return client.post(
        reverse("admin:volunteers_trainingrecord_add"),
        {"volunteer": volunteer.pk, "module": module.pk, "completed_on": COMPLETED.isoformat(), "score": _score(score)},
    )


def by_importing_a_file(client, volunteer, module, score):
    preview = upload(
        client, f"volunteer,module,completed_on,score\n{volunteer.username},{module.slug},{COMPLETED},{_score(score)}\n"
    )
    return confirm(client, preview)


def in_a_session(client, volunteer, module, score):
    return client.post(
        reverse("admin:volunteers_volunteerprofile_changelist"),
        {
            "action": "record_session",
            "_selected_action": [volunteer.volunteer.pk],
            "apply": "1",
            "module": module.pk,
            "completed_on": COMPLETED.isoformat(),
            "score": _score(score),
        },
    )


@pytest.mark.parametrize("score", [None, 69, 70])
def test_every_way_of_recording_training_stores_the_same_pass_and_expiry(
    client, sign_in, settings, tmp_path, first_aid, score
):
    settings.MEDIA_ROOT = tmp_path  # where an import's upload waits for its confirmation
    admin_user = sign_in(Role.ADMIN)
    stored = {}
    for way in (in_the_admin_form, by_importing_a_file, in_a_session):
        volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
        response = way(client, volunteer, first_aid, score)
        assert response.status_code == 302, (way.__name__, response.content.decode()[:2000])
        record = TrainingRecord.objects.get(volunteer=volunteer, module=first_aid)
        stored[way.__name__] = (record.score, record.passed, record.expires_on, record.recorded_by)
    passed = score is None or score >= first_aid.pass_mark
    assert stored == dict.fromkeys(stored, (score, passed, EXPIRES, admin_user))


def test_correcting_a_score_in_the_admin_works_out_the_pass_again(client, sign_in, first_aid):
    sign_in(Role.ADMIN)
    volunteer = UserFactory(role=Role.VOLUNTEER, trained=False)
    in_the_admin_form(client, volunteer, first_aid, 55)
    record = TrainingRecord.objects.get(volunteer=volunteer)
    assert not record.passed
    response = client.post(
        reverse("admin:volunteers_trainingrecord_change", args=[record.pk]),
        {"volunteer": volunteer.pk, "module": first_aid.pk, "completed_on": "2025-03-31", "score": "75"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert record.passed and record.expires_on == date(2026, 4, 30)
