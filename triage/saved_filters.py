"""Officers' saved filters on the queue: a name for a set of the queue's filters, each officer's own."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from hubsite.models import User
from triage.models import SavedFilter


class SavedFilterError(Exception):
    """A saved filter that cannot be kept; the message says why, for the officer."""


def saved_filter_save(*, owner: User, name: str, query: str) -> tuple[SavedFilter, bool]:
    """Keep ``query`` (the queue's filters, already validated, as a query string) under ``name`` for ``owner``.
    Saving under a name the officer already uses replaces what it shows. Returns the filter and whether it is new.
    """
    name = " ".join((name or "").split())
    if not name:
        raise SavedFilterError("Give these filters a name.")
    if not query:
        raise SavedFilterError("Choose at least one filter or search before saving.")
    try:
        with transaction.atomic():
            return SavedFilter.objects.update_or_create(owner=owner, name=name, defaults={"query": query})
    except IntegrityError:
        # The same officer saving the same name twice at once: the other request's filter stands.
        return SavedFilter.objects.get(owner=owner, name=name), False


def saved_filter_delete(*, saved_filter: SavedFilter, owner: User) -> None:
    """Delete one of ``owner``'s saved filters (another's is refused: the pages answer 404 before this)."""
    if saved_filter.owner_id != owner.pk:
        raise SavedFilterError("That saved filter is not yours.")
    SavedFilter.objects.filter(pk=saved_filter.pk, owner=owner).delete()
