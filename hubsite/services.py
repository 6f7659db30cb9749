"""Writes for accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from hubsite.audit import record_role_change
from hubsite.models import User
from hubsite.roles import Role


def user_create(*, username: str, password: str, role: Role, email: str = "") -> User:
    """Create a person with one role. Admins also get into the admin site."""
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, email=email, is_staff=(role == Role.ADMIN)
        )
        user.groups.add(Group.objects.get(name=role.value))
        if role == Role.VOLUNTEER:
            from volunteers.models import VolunteerProfile

            VolunteerProfile.objects.create(user=user)
        record_role_change(user=user, before=set(), after={role.value}, created=True)
    return user
