"""The admin site: admins manage categories and read evidence; nobody edits evidence there."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from reports.models import Category
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_admin_adds_a_category_that_volunteers_then_see(client, sign_in):
    sign_in(Role.ADMIN)
    response = client.post(
        reverse("admin:reports_category_add"),
        {"slug": "age", "name": "Age", "description": "", "is_active": "on", "position": "90"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    sign_in(Role.VOLUNTEER)
    assert "Age" in client.get(reverse("reports:new")).content.decode()
    assert Category.objects.filter(slug="age", is_active=True).exists()


def test_admin_reads_a_report_but_cannot_change_or_delete_it(client, sign_in):
    report = ReportFactory(captured_text="evidence as captured")
    sign_in(Role.ADMIN)
    change_url = reverse("admin:reports_report_change", args=[report.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert "evidence as captured" in page.content.decode()
    assert client.post(change_url, {"captured_text": "rewritten"}).status_code == 403
    assert client.post(reverse("admin:reports_report_delete", args=[report.pk]), {"post": "yes"}).status_code == 403
    report.refresh_from_db()
    assert report.captured_text == "evidence as captured"


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON])
def test_other_roles_are_kept_out_of_the_admin_site(client, sign_in, role):
    sign_in(role)
    response = client.get(reverse("admin:reports_report_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_admin_maintains_the_force_list(client, sign_in):
    from triage.models import Force

    sign_in(Role.ADMIN)
    assert Force.objects.count() == 46
    response = client.post(
        reverse("admin:triage_force_add"), {"name": "Civil Nuclear Constabulary", "slug": "cnc", "is_active": "on"}
    )
    assert response.status_code == 302
    assert Force.objects.filter(slug="cnc").exists()


def test_an_admin_cannot_make_anyone_a_superuser_or_grant_loose_permissions(client, sign_in):
    from hubsite.models import User

    admin_user = sign_in(Role.ADMIN)
    page = client.get(reverse("admin:hubsite_user_change", args=[admin_user.pk])).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    client.post(
        reverse("admin:hubsite_user_change", args=[admin_user.pk]),
        {"username": admin_user.username, "is_superuser": "on", "is_active": "on", "is_staff": "on",
         "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"},
    )  # fmt: skip
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    superuser = User.objects.create_superuser("root", "root@hub.example", "a-long-password-1")
    page = client.get(reverse("admin:hubsite_user_change", args=[superuser.pk])).content.decode()
    assert 'name="username"' not in page, "a superuser's account is read-only to admins"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "new-password-xyz-1", "password2": "new-password-xyz-1"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("a-long-password-1")


def _account_form(client, person, **changes) -> dict:
    """The admin's change form for ``person`` as it stands, with ``changes``, ready to post."""
    form = client.get(reverse("admin:hubsite_user_change", args=[person.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    for name in ("last_login", "date_joined"):
        data.pop(name, None)
    data["groups"] = [group.pk for group in data.get("groups", [])]
    data.update(date_joined_0="2026-01-01", date_joined_1="10:00:00", is_active="on", **changes)
    return data


@pytest.mark.parametrize(
    "role, refusal",
    [(Role.VOLUNTEER, "a volunteer belongs to no partner organisation"), (Role.OFFICER, "Only partner accounts")],
)
def test_only_a_partners_account_may_belong_to_an_organisation(client, sign_in, role, refusal):
    from tests.factories import PartnerOrganisationFactory, UserFactory

    sign_in(Role.ADMIN)
    person = UserFactory(role=role)
    organisation = PartnerOrganisationFactory(name="Tell Them")
    url = reverse("admin:hubsite_user_change", args=[person.pk])
    response = client.post(url, _account_form(client, person, partner_organisation=organisation.pk))
    assert response.status_code == 200 and refusal in response.content.decode()
    person.refresh_from_db()
    assert person.partner_organisation is None


def test_a_partners_account_is_given_its_organisation(client, sign_in):
    from tests.factories import PartnerOrganisationFactory, UserFactory

    sign_in(Role.ADMIN)
    partner = UserFactory(role=Role.PARTNER, partner_organisation=None)
    organisation = PartnerOrganisationFactory(name="Tell Them")
    url = reverse("admin:hubsite_user_change", args=[partner.pk])
    response = client.post(url, _account_form(client, partner, partner_organisation=organisation.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    partner.refresh_from_db()
    assert partner.partner_organisation == organisation


def test_moving_a_partner_to_another_organisation_revokes_its_tokens(client, sign_in):
    from hubsite.models import AuditEvent, PartnerToken
    from tests.factories import PartnerOrganisationFactory, UserFactory, partner_token

    admin_user = sign_in(Role.ADMIN)
    partner = UserFactory(role=Role.PARTNER, partner_organisation=PartnerOrganisationFactory(name="Tell Them"))
    partner_token(partner, name="Case system")
    elsewhere = PartnerOrganisationFactory(name="Elsewhere")
    url = reverse("admin:hubsite_user_change", args=[partner.pk])
    response = client.post(url, _account_form(client, partner, partner_organisation=elsewhere.pk), follow=True)
    assert "1 token of this account revoked: it was issued for Tell Them." in response.content.decode()
    (token,) = PartnerToken.objects.filter(user=partner)
    assert token.revoked_at is not None and token.revoked_by == admin_user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PARTNER_TOKEN_REVOKED).count() == 1
    partner_token(partner, name="New case system")
    client.post(url, _account_form(client, partner, partner_organisation=elsewhere.pk, first_name="Sam"))
    assert PartnerToken.objects.get(name="New case system").revoked_at is None, "saved without a move: kept"
