"""Saved filters on the queue: each officer's own, checked by the queue's filter form before they are kept."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import UserFactory
from triage.models import SavedFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(sign_in):
    return sign_in(Role.OFFICER)


def save(client, name: str, query: str = "", **kwargs):
    url = reverse("triage:saved-filter-save") + (f"?{query}" if query else "")
    return client.post(url, {"name": name}, **kwargs)


def test_an_officer_saves_the_queues_filters_and_opens_them_again(client, officer):
    response = save(client, "Threats on X", "platform=x&flag=threat_of_violence&q=mosque&page=3&sort=")
    saved = SavedFilter.objects.get(owner=officer)
    assert saved.name == "Threats on X"
    # Only the filters given, in the form's order: not the page, not the empty ones.
    assert saved.query == "q=mosque&platform=x&flag=threat_of_violence"
    assert response.status_code == 302 and response["Location"] == f"{reverse('triage:queue')}?{saved.query}"
    page = client.get(reverse("triage:queue")).content.decode()
    assert f'href="?{saved.query.replace("&", "&amp;")}">Threats on X</a>' in page


def test_saving_under_a_name_already_used_replaces_it(client, officer):
    save(client, "Mine", "holder=me")
    save(client, "Mine", "holder=me&sort=age")
    assert list(SavedFilter.objects.filter(owner=officer).values_list("query", flat=True)) == ["holder=me&sort=age"]


@pytest.mark.parametrize(
    ("name", "query", "said"),
    [
        ("", "holder=me", "Give these filters a name."),
        ("Bad band", "band=enormous", "The filters have a mistake"),
        ("Nothing", "", "Choose at least one filter or search before saving."),
        ("x" * 61, "holder=me", "Keep the name to 60 characters"),
    ],
)
def test_a_mistake_is_said_on_the_queue_with_the_name_kept(client, officer, name, query, said):
    response = save(client, name, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert said in page
    if name:
        assert f'value="{name}"' in page
    assert not SavedFilter.objects.exists()


def test_nobody_sees_or_deletes_another_officers_saved_filters(client, officer):
    theirs = SavedFilter.objects.create(owner=UserFactory(role=Role.OFFICER), name="Their view", query="holder=me")
    mine = SavedFilter.objects.create(owner=officer, name="My view", query="sort=age")
    page = client.get(reverse("triage:queue")).content.decode()
    assert "My view" in page and "Their view" not in page
    assert client.post(reverse("triage:saved-filter-delete", args=[theirs.pk])).status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()
    response = client.post(reverse("triage:saved-filter-delete", args=[mine.pk]))
    assert response.status_code == 302
    assert not SavedFilter.objects.filter(pk=mine.pk).exists()


def test_held_by_me_is_one_click_from_the_queue(client, officer):
    page = client.get(reverse("triage:queue")).content.decode()
    assert 'href="?holder=me" id="assigned-to-me"' in page
