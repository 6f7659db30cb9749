import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_usernames_differing_only_in_capitals_stop_the_migration_with_their_names():
    import importlib

    from django.apps import apps
    from django.db import connection

    from hubsite.models import User

    migration = importlib.import_module("hubsite.migrations.0018_username_unique_ignoring_case")
    [constraint] = [c for c in User._meta.constraints if c.name == "hubsite_user_username_unique_ignoring_case"]
    # As a database made before the constraint could hold them (the test's transaction undoes all of it).
    with connection.schema_editor() as editor:
        editor.remove_constraint(User, constraint)
        User.objects.create(username="Sam")
        User.objects.create(username="sam")
        User.objects.create(username="alex")
        with pytest.raises(RuntimeError, match=r"differ only in capitals.*: sam$"):
            migration.refuse_clashing_usernames(apps, editor)
