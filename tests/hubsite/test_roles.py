import pytest
from django.contrib.auth.models import Group

from hubsite import roles
from hubsite.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migration_creates_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        (Role.VOLUNTEER, [roles.SUBMIT_REPORT], [roles.WORK_QUEUE, roles.LIAISE_FOR_FORCE]),
        (Role.OFFICER, [roles.WORK_QUEUE], [roles.SUBMIT_REPORT, roles.LIAISE_FOR_FORCE]),
        (Role.LIAISON, [roles.LIAISE_FOR_FORCE], [roles.SUBMIT_REPORT, roles.WORK_QUEUE]),
        (Role.ADMIN, ["hubsite.change_user", "reports.change_category"], [roles.WORK_QUEUE, roles.SUBMIT_REPORT]),
    ],
)
def test_each_role_has_its_permissions_and_no_others(role, granted, refused):
    user = UserFactory(role=role)
    for permission in granted:
        assert user.has_perm(permission), permission
    for permission in refused:
        assert not user.has_perm(permission), permission


def test_custom_user_model_is_in_use(django_user_model):
    assert django_user_model._meta.label == "hubsite.User"
