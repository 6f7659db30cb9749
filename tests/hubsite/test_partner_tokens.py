"""Partner API tokens: issued by admins, shown once, kept hashed, audited, revocable, with a last-used time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hubsite.api_auth import NOT_A_TOKEN, REFUSED_FOR_STAFF
from hubsite.models import AuditEvent, PartnerToken
from hubsite.partner_tokens import PartnerTokenError, partner_token_issue, partner_token_revoke, token_digest
from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import UserFactory, partner_token, token_held_by

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def api(token: str | None = None, scheme: str = "Token") -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"{scheme} {token}")
    return client


def test_only_the_hash_is_stored_and_the_token_works_once_issued():
    partner = UserFactory(role=Role.PARTNER)
    issued = partner_token_issue(name="Case system", user=partner, by=None)
    stored = PartnerToken.objects.get()
    assert issued.secret.startswith("hub_") and len(issued.secret) > 40
    assert stored.secret_sha256 == token_digest(issued.secret) and issued.secret not in stored.secret_sha256
    assert stored.prefix == issued.secret[:12]
    assert all(issued.secret not in str(value) for value in PartnerToken.objects.values().get().values())
    assert api(issued.secret).get(reverse("api:reports")).status_code == 200
    assert api(issued.secret, scheme="Bearer").get(reverse("api:reports")).status_code == 200


@pytest.mark.parametrize(
    "wrong",
    [
        lambda real: "not-a-real-token",
        lambda real: "hub_",
        lambda real: "hub_" + "x" * 43,
        lambda real: real[:12] + "y" * 35,
        lambda real: real + " extra",
    ],
    ids=["not ours", "too short", "unknown", "right start, wrong rest", "two words"],
)
def test_a_wrong_token_is_refused_with_401(wrong):
    response = api(wrong(partner_token())).get(reverse("api:reports"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_no_token_is_refused_with_401():
    assert api().get(reverse("api:reports")).status_code == 401


def test_a_revoked_token_is_refused_and_revoking_twice_records_once():
    admin_user = UserFactory(role=Role.ADMIN)
    secret = partner_token()
    token = PartnerToken.objects.get()
    assert partner_token_revoke(token=token, by=admin_user) is True
    assert partner_token_revoke(token=token, by=admin_user) is False
    response = api(secret).get(reverse("api:reports"))
    assert response.status_code == 401 and response.json()["detail"] == NOT_A_TOKEN
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin_user
    (revoked,) = AuditEvent.objects.filter(action=A.PARTNER_TOKEN_REVOKED)
    assert revoked.actor == admin_user and (revoked.object_type, revoked.object_id) == (
        "hubsite.partnertoken",
        str(token.pk),
    )


def test_last_used_is_noted_at_most_once_a_minute(django_assert_num_queries):
    secret = partner_token()
    token = PartnerToken.objects.get()
    assert token.last_used_at is None
    client = api(secret)
    client.get(reverse("api:reports"))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    client.get(reverse("api:reports"))
    token.refresh_from_db()
    assert token.last_used_at == first, "not written again within the minute"
    PartnerToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=5))
    client.get(reverse("api:reports"))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=5) and token.last_used_at >= first


def test_a_closed_account_and_staff_are_refused_though_their_token_matches():
    partner = UserFactory(role=Role.PARTNER)
    secret = partner_token(partner)
    partner.is_active = False
    partner.save(update_fields=["is_active"])
    assert api(secret).get(reverse("api:reports")).status_code == 401
    officer_token = token_held_by(UserFactory(role=Role.OFFICER))
    response = api(officer_token).get(reverse("api:reports"))
    assert response.status_code == 401 and response.json()["detail"] == REFUSED_FOR_STAFF


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.ADMIN])
def test_tokens_are_issued_only_to_partners_of_an_organisation(role):
    with pytest.raises(PartnerTokenError, match="only for active partner accounts"):
        partner_token_issue(name="x", user=UserFactory(role=role), by=None)
    with pytest.raises(PartnerTokenError, match="no organisation"):
        partner_token_issue(name="x", user=UserFactory(role=Role.PARTNER, partner_organisation=None), by=None)
    assert not PartnerToken.objects.exists()


def test_an_admin_issues_a_token_shown_once_and_audited(client):
    admin_user = sign_in_verified(client, UserFactory(role=Role.ADMIN))
    partner = UserFactory(role=Role.PARTNER)
    UserFactory(role=Role.VOLUNTEER, username="not-a-partner")
    form = client.get(reverse("admin:hubsite_partnertoken_add"))
    assert form.status_code == 200
    page = form.content.decode()
    assert partner.username in page and "not-a-partner" not in page, "only partners are offered"

    issued = client.post(reverse("admin:hubsite_partnertoken_add"), {"name": "Case system", "user": partner.pk})
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    token = PartnerToken.objects.get()
    secret = issued.context["secret"]
    assert token_digest(secret) == token.secret_sha256 and secret in issued.content.decode()
    assert token.created_by == admin_user and token.user == partner and token.name == "Case system"

    (made,) = AuditEvent.objects.filter(action=A.PARTNER_TOKEN_ISSUED)
    assert made.actor == admin_user and made.address == "127.0.0.1"
    assert (made.object_type, made.object_id) == ("hubsite.partnertoken", str(token.pk))
    assert secret not in f"{made.summary} {made.detail}" and partner.username in made.summary
    assert not AuditEvent.objects.filter(action=A.ADMIN_EDITED).exists(), "recorded once, by the service"

    # Never again: not on the list, nor on the token's own page.
    for url in (
        reverse("admin:hubsite_partnertoken_changelist"),
        reverse("admin:hubsite_partnertoken_change", args=[token.pk]),
    ):
        shown = client.get(url)
        assert shown.status_code == 200 and secret not in shown.content.decode()
        assert token.prefix in shown.content.decode()
    assert api(secret).get(reverse("api:reports")).status_code == 200


def test_the_issue_form_says_what_is_wrong_and_keeps_what_was_typed(client):
    sign_in_verified(client, UserFactory(role=Role.ADMIN))
    homeless = UserFactory(role=Role.PARTNER, partner_organisation=None)
    response = client.post(reverse("admin:hubsite_partnertoken_add"), {"name": "Intake bot", "user": homeless.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "no organisation" in page and 'value="Intake bot"' in page
    missing = client.post(reverse("admin:hubsite_partnertoken_add"), {"name": "", "user": homeless.pk}).content.decode()
    assert "This field is required" in missing
    assert not PartnerToken.objects.exists()


def test_the_list_shows_each_token_and_the_revoke_action_works(client):
    admin_user = sign_in_verified(client, UserFactory(role=Role.ADMIN))
    partner = UserFactory(role=Role.PARTNER)
    partner_token(partner, name="Old intake")
    partner_token(partner, name="New intake")
    old = PartnerToken.objects.get(name="Old intake")
    listed = client.get(reverse("admin:hubsite_partnertoken_changelist")).content.decode()
    assert "Old intake" in listed and "New intake" in listed and str(partner.partner_organisation) in listed
    response = client.post(
        reverse("admin:hubsite_partnertoken_changelist"), {"action": "revoke", "_selected_action": [old.pk]}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.revoked_at is not None and old.revoked_by == admin_user
    assert PartnerToken.objects.get(name="New intake").revoked_at is None
    assert AuditEvent.objects.filter(action=A.PARTNER_TOKEN_REVOKED, actor=admin_user).count() == 1


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER])
def test_no_one_but_admins_issues_or_revokes_tokens(client, role):
    sign_in_verified(client, UserFactory(role=role))
    partner = UserFactory(role=Role.PARTNER)
    partner_token(partner)
    token = PartnerToken.objects.get()
    add = client.post(reverse("admin:hubsite_partnertoken_add"), {"name": "Sneaky", "user": partner.pk})
    assert add.status_code == 302 and reverse("admin:login") in add["Location"]
    revoke = client.post(
        reverse("admin:hubsite_partnertoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert revoke.status_code == 302 and reverse("admin:login") in revoke["Location"]
    token.refresh_from_db()
    assert PartnerToken.objects.count() == 1 and token.revoked_at is None


def test_tokens_are_never_deleted_or_edited_in_the_admin(client):
    sign_in_verified(client, UserFactory(role=Role.ADMIN))
    partner_token()
    token = PartnerToken.objects.get()
    assert (
        client.post(reverse("admin:hubsite_partnertoken_delete", args=[token.pk]), {"post": "yes"}).status_code == 403
    )
    client.post(reverse("admin:hubsite_partnertoken_change", args=[token.pk]), {"name": "Renamed"})
    token.refresh_from_db()
    assert token.name == "Case system" and PartnerToken.objects.count() == 1


def test_the_plain_text_token_table_is_dropped_with_its_migration_record():
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = import_module("hubsite.migrations.0016_admins_issue_partner_tokens")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamptz)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', 1, now())")
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', now())")
    migration.drop_plain_tokens(apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
    migration.drop_plain_tokens(apps, SimpleNamespace(connection=connection))  # and again: nothing to do
    assert not PartnerToken.objects.exists(), "the old tokens are not carried over"
