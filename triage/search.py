"""The desk's full-text search: the words a case is found by, and the cases a search finds.

On PostgreSQL each case has one ``tsvector`` (``CaseSearch.document``, under a GIN index) made of its reports'
captured text, the handles that posted them and the volunteers' notes, the officers' notes on its timeline, and
the crime references forces gave it. A redacted report adds nothing, not even the placeholder left in its text.
The services that change any of these call ``case_search_refresh`` in their own transaction, so the search never
finds what was redacted or moved away.

The text search configuration is ``simple``: it lower-cases words and nothing else. ``english`` would stem
("muslims" to "muslim") but would also stem and drop words the desk searches for on purpose: names, handles,
deliberate misspellings of slurs, and short words that are stop words in English prose. An officer searching
for a slur or a handle wants exactly that word.

SQLite (the embedded default) has no text search: there the same fields are read with a case-insensitive
LIKE, slower but the same answer for a single word.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q

from reports.models import Report
from triage.models import CaseEvent, CaseQuerySet, CaseSearch, Referral

CONFIG = "simple"

# One statement for any number of cases; the three parts are the three places the words live. Its configuration
# is CONFIG's, spelt out: the statement is a constant, not text put together at run time.
_REFRESH_SQL = """
INSERT INTO triage_casesearch (case_id, document)
SELECT c.id,
    to_tsvector('simple', coalesce((
        SELECT string_agg(concat_ws(' ', r.captured_text, r.author_handle, r.notes), ' ')
        FROM reports_report r WHERE r.case_id = c.id AND r.redacted_at IS NULL), ''))
    || to_tsvector('simple', coalesce((
        SELECT string_agg(e.note, ' ') FROM triage_caseevent e WHERE e.case_id = c.id AND e.kind = %s), ''))
    || to_tsvector('simple', coalesce((
        SELECT string_agg(f.crime_reference, ' ') FROM triage_referral f WHERE f.case_id = c.id), ''))
FROM triage_case c
WHERE c.id = ANY(%s)
ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document
"""


def case_search_refresh(*, case_ids: Iterable[int]) -> None:
    """Work out again the words the given cases are found by. Called inside the transaction that changed them."""
    ids = sorted(set(case_ids))
    if not ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # The document is worked out from what the statement sees when it starts. Two transactions changing one
        # case's words at once would each write a document without the other's change, and the later would win.
        # Locking the cases first (in one order, so two refreshes cannot deadlock) makes the second wait for the
        # first to commit; under READ COMMITTED its INSERT then starts afresh and sees both changes.
        cursor.execute("SELECT id FROM triage_case WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids])
        cursor.execute(_REFRESH_SQL, [CaseEvent.Kind.NOTE.value, ids])


def cases_matching(cases: CaseQuerySet, text: str) -> CaseQuerySet:
    """``cases`` narrowed to those whose words match ``text``, a search as people type one into a search box
    (PostgreSQL's ``websearch_to_tsquery``: words, "a phrase", ``or``, ``-word``). It never raises on odd
    input: what it cannot read it leaves out."""
    text = (text or "").strip()
    if not text:
        return cases
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        # An IN over the GIN-indexed table: PostgreSQL reads the matching cases from the index once.
        return cases.filter(pk__in=CaseSearch.objects.filter(document=query).values("case_id"))
    in_reports = Report.objects.filter(redacted_at__isnull=True).filter(
        Q(captured_text__icontains=text) | Q(author_handle__icontains=text) | Q(notes__icontains=text)
    )
    in_notes = CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTE, note__icontains=text)
    in_references = Referral.objects.filter(crime_reference__icontains=text)
    return cases.filter(
        Q(pk__in=in_reports.values("case_id"))
        | Q(pk__in=in_notes.values("case_id"))
        | Q(pk__in=in_references.values("case_id"))
    )
