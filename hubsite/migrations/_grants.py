"""Giving roles their permissions, for the data migrations that do it.

Applied migrations import these functions, and a migration must do the same thing
whenever it runs (a fresh database, a test database, a rollback), so what each
function here does must never change. When a migration needs something
different, add a new function beside these; do not edit or remove one.

The migration loader skips modules whose names start with an underscore, so
this file is not taken for a migration.

A grant is (app_label, model, codename, name). Permissions are normally created
after all migrations have run, so a grant creates its permission (and content
type) when it is not there yet; the later automatic pass finds it and leaves it.
"""

from collections.abc import Iterable, Mapping

Grant = tuple[str, str, str, str]


def model_grants(app_label: str, models: Iterable[tuple[str, str]], actions: Iterable[str]) -> list[Grant]:
    """Django's default permissions ("add_x", "view_x", ...) on each (model, verbose name), model by model."""
    actions = tuple(actions)
    return [
        (app_label, model, f"{action}_{model}", f"Can {action} {label}") for model, label in models for action in actions
    ]


def role_grants_add(apps, grants: Mapping[str, Iterable[Grant]]) -> None:
    """Give each role (a group, created if missing) its permissions, creating those not yet there."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for role, permissions in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, codename, name in permissions:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


def role_grants_remove(apps, grants: Mapping[str, Iterable[Grant]]) -> None:
    """Take the permissions back from each role that exists, matching them by codename; the roles and the
    permissions themselves stay."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in grants.items():
        group = Group.objects.filter(name=role).first()
        if group:
            codenames = [codename for _, _, codename, _ in permissions]
            group.permissions.remove(*Permission.objects.filter(codename__in=codenames))
