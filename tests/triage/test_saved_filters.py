"""Saved filters on the queue: each officer's own, checked by the queue's filter form before they are kept."""

import re
from html import unescape
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from hubsite.roles import Role
from tests.factories import ReportFactory, UserFactory
from triage.models import Case, SavedFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(sign_in):
    return sign_in(Role.OFFICER)


def save(client, name: str, query: str = "", **kwargs):
    url = reverse("triage:queue") + (f"?{query}" if query else "")
    return client.post(url, {"op": "save-filters", "name": name}, **kwargs)


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


def test_after_a_mistake_the_queues_links_and_forms_still_lead_where_they_say(client, officer, settings):
    settings.QUEUE_COUNTS_SECONDS = 0
    cases = [ReportFactory().case for _ in range(3)]
    response = save(client, "", "holder=&sort=age")
    assert response.status_code == 200 and "Give these filters a name." in response.content.decode()
    # The page is at the queue's address, so its relative links and its forms without an action lead there.
    here = response.wsgi_request.get_full_path()
    assert response.wsgi_request.path == reverse("triage:queue")
    page = unescape(response.content.decode())
    links = re.findall(r'href="(\?[^"]*)"', page)
    assert "?holder=me" in links and "?status=open" in links
    for href in links:
        assert client.get(urljoin(here, href)).status_code == 200, href
    assert "action=" not in re.search(r'<form method="get"[^>]*>', page).group(0)
    (next_field,) = set(re.findall(r'name="next" value="([^"]*)"', page))
    assert next_field.startswith(reverse("triage:queue") + "?")
    # The bulk form has no action of its own: it posts to where the page is, and closes the ticked cases.
    assert "action=" not in re.search(r'<form method="post" id="bulk-form"[^>]*>', page).group(0)
    closed = client.post(
        here,
        {"cases": [cases[0].pk, cases[1].pk], "action": Case.Status.DISMISSED, "reason": "Noise", "next": next_field},
    )
    assert closed.status_code == 302 and closed["Location"] == next_field
    assert set(Case.objects.filter(status=Case.Status.DISMISSED).values_list("pk", flat=True)) == {
        cases[0].pk,
        cases[1].pk,
    }
    assert not SavedFilter.objects.exists()


@pytest.mark.usefixtures("postgresql")
def test_a_long_search_in_any_script_is_saved(client, officer):
    search = "\N{GRINNING FACE}" * 200
    response = client.get(reverse("triage:queue"), {"q": search})
    query = response.context["query"]
    response = save(client, "Emoji", query)
    assert response.status_code == 302
    saved = SavedFilter.objects.get(owner=officer)
    assert client.get(f"{reverse('triage:queue')}?{saved.query}").context["filters"].cleaned_data["q"] == search


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
