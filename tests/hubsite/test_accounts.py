import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_wrong_password_is_refused_on_the_same_page_keeping_the_username(client):
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please enter a correct username and password" in page
    assert f'value="{user.username}"' in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("role", "destination"),
    [(Role.VOLUNTEER, "volunteers:dashboard"), (Role.OFFICER, "triage:queue"), (Role.LIAISON, "liaison:referrals")],
)
def test_sign_in_takes_each_person_to_their_work(client, role, destination):
    user = UserFactory(role=role)
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(destination)


def test_sign_in_returns_to_the_page_asked_for(client):
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(
        f"{reverse('login')}?next={reverse('reports:new')}",
        {"username": user.username, "password": TEST_PASSWORD, "next": reverse("reports:new")},
    )
    assert response["Location"] == reverse("reports:new")


def test_sign_in_refuses_to_send_people_to_another_site(client):
    user = UserFactory(role=Role.VOLUNTEER)
    response = client.post(
        reverse("login"), {"username": user.username, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
