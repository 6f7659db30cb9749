"""Index types the Hub's models share."""

from __future__ import annotations

import copy

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class CoveringIndex(models.Index):
    """An index that also stores non-key columns (``INCLUDE`` on PostgreSQL), so a query reading only those
    columns is answered from the index alone.

    Django's own ``include=`` builds the same index, but SQLite has no ``INCLUDE``: there Django leaves the
    columns out and ``manage.py check`` warns about it (models.W040) on every `make run`. Here the extra columns
    are ``covering=`` and reach the database only when the index is created, where the backend keeps them if
    it can (PostgreSQL) and builds the plain index otherwise (SQLite), which is what the warning said it would do.
    """

    def __init__(self, *args, covering: list[str] | tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if covering and not self.name:
            raise ValueError("A covering index must be named.")
        self.covering = tuple(covering)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        if self.covering:
            kwargs["covering"] = self.covering
        return path, args, kwargs

    def create_sql(self, model, schema_editor, using="", **kwargs):
        with_columns = copy.copy(self)
        with_columns.include = self.covering
        return models.Index.create_sql(with_columns, model, schema_editor, using=using, **kwargs)


class SearchIndex(GinIndex):
    """A GIN index for full-text search on PostgreSQL. SQLite (the embedded default) has no GIN and no
    ``tsvector``: there the column gets a plain index, and the search reads the source text with LIKE instead
    (triage/search.py)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return models.Index.create_sql(self, model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)
