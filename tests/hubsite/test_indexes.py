"""The queue's covering index: INCLUDE columns on PostgreSQL, the plain index on SQLite, no warning either way."""

import pytest
from django.db import connection, models
from django.db.utils import ConnectionHandler

from triage.models import Case


def sqlite():
    return ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})


def open_facts_index():
    return next(index for index in Case._meta.indexes if index.name == "case_open_facts_idx")


@pytest.mark.parametrize("where", ["test database", "sqlite"])
def test_the_index_is_what_djangos_own_include_would_build(where):
    """So migration 0012 changes only Django's record of the model, never the database."""
    wrapper = connection if where == "test database" else sqlite()["default"]
    index = open_facts_index()
    djangos = models.Index(fields=index.fields, name=index.name, include=index.covering, condition=index.condition)
    editor = wrapper.schema_editor(collect_sql=True)
    built = str(index.create_sql(Case, editor))
    assert built == str(djangos.create_sql(Case, editor))
    if wrapper.features.supports_covering_indexes:  # PostgreSQL
        assert 'INCLUDE ("platform", "claimed_by_id", "threat_of_violence"' in built
    else:
        assert "INCLUDE" not in built


@pytest.mark.django_db  # the checks ask SQLite what it supports (on a database of their own)
def test_checks_on_sqlite_do_not_warn_of_include_columns(monkeypatch):
    """`make run` (SQLite) ran every `migrate` under "models.W040: SQLite does not support indexes with
    non-key columns"."""
    monkeypatch.setattr("django.db.models.base.connections", sqlite())
    assert [found.id for found in Case.check(databases=["default"])] == []


def test_the_index_survives_a_migration_round_trip():
    index = open_facts_index()
    path, args, kwargs = index.deconstruct()
    assert path == "hubsite.indexes.CoveringIndex" and kwargs["covering"] == index.covering
    assert type(index)(*args, **kwargs) == index
