"""Two officers changing one case's words at once: the search finds both changes, whichever commits last."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from triage import casework, selectors
from triage.search import case_search_refresh


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_notes_written_at_once_are_both_found(postgresql, reference_data):
    first_officer, second_officer = UserFactory(role=Role.OFFICER), UserFactory(role=Role.OFFICER)
    case = ReportFactory(captured_text="A post").case
    case_search_refresh(case_ids=[case.pk])
    first_written, errors = threading.Event(), []

    def second() -> None:
        try:
            first_written.wait(10)
            # Starts while the first transaction is open: its search document must still end up with both notes.
            casework.case_add_note(case=case, officer=second_officer, note="Second note about quokkas")
        except Exception as error:  # asserted on below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=second)
    thread.start()
    with transaction.atomic():
        casework.case_add_note(case=case, officer=first_officer, note="First note about wombats")
        first_written.set()
        deadline = time.monotonic() + 10
        while not _waiting_on_a_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
    thread.join(30)
    assert not errors, errors

    def found(text: str) -> list[int]:
        return list(selectors.case_list(viewer=first_officer, status="any", q=text).values_list("pk", flat=True))

    assert found("quokkas") == [case.pk]
    assert found("wombats") == [case.pk], "the second refresh kept the first note"
