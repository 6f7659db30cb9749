"""The notifications page, the count in the navigation bar and the e-mail settings: every signed-in role has
its own, nobody sees another's."""

import pytest
from django.urls import reverse

from hubsite.roles import Role
from notifications.models import Delivery, Kind, Notification, NotificationPreference
from notifications.services import notification_send
from tests.auth import sign_in_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tell(person, message="Case 4 has been assigned to you.", kind=Kind.CASE_ASSIGNED, link="/triage/cases/4/"):
    return notification_send(recipients=[person], kind=kind, message=message, link=link)[0]


@pytest.mark.parametrize("name", ["notifications:list", "notifications:settings", "notifications:mark-all-read"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    method = client.post if name.endswith("read") else client.get
    response = method(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor:login"))


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_reads_its_own_notifications_and_never_anothers(client, role):
    person = sign_in_verified(client, UserFactory(role=role))
    tell(person, message="Yours to read.")
    tell(UserFactory(role=role), message="Someone else's.")

    page = client.get(reverse("notifications:list"))

    assert page.status_code == 200
    assert "Yours to read." in page.text and "Someone else&#x27;s." not in page.text
    assert client.get(reverse("notifications:settings")).status_code == 200


def test_the_count_shows_in_the_navigation_bar_and_goes_once_the_list_is_read(client):
    person = sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))
    for _ in range(3):
        tell(person, kind=Kind.CASE_DECIDED, message="An officer has decided about a post you reported: dismissed.")
    assert (
        '<span class="badge text-bg-warning" id="unread-count">3</span>'
        in client.get(reverse("home"), follow=True).text
    )

    listed = client.get(reverse("notifications:list"))

    assert listed.text.count(">New</span>") == 3, "shown as new on the page that marks them read"
    assert 'id="unread-count"' not in listed.text
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_only_the_notifications_shown_are_marked_read(client):
    person = sign_in_verified(client, UserFactory(role=Role.OFFICER))
    for number in range(30):
        tell(person, message=f"Case {number} has been assigned to you.")

    client.get(reverse("notifications:list"))

    assert Notification.objects.filter(read_at__isnull=True).count() == 5, "page 2 is not read yet"
    page_two = client.get(reverse("notifications:list"), {"page": 2})
    assert "Case 0 has been assigned" in page_two.text
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read_marks_only_ones_own(client):
    person = sign_in_verified(client, UserFactory(role=Role.LIAISON))
    tell(person, kind=Kind.NEW_REFERRAL)
    theirs = tell(UserFactory(role=Role.LIAISON), kind=Kind.NEW_REFERRAL)

    response = client.post(reverse("notifications:mark-all-read"), follow=True)

    assert "All your notifications are marked read." in response.text
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_page_reads_a_fixed_number_of_rows(client, count, django_assert_max_num_queries):
    person = sign_in_verified(client, UserFactory(role=Role.OFFICER))
    for number in range(count):
        tell(person, message=f"Case {number} has been assigned to you.")
    # Session, user, OTP device, groups and permissions, the page's count and rows, the mark-read update and
    # the navigation bar's count: the same however many there are.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_the_navigation_count_is_one_query(client, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    from notifications.context_processors import unread_notifications

    person = UserFactory(role=Role.VOLUNTEER)
    for _ in range(5):
        tell(person, kind=Kind.CASE_DECIDED)
    request = RequestFactory().get("/")
    request.user = person
    context = unread_notifications(request)
    with django_assert_num_queries(1):
        assert (
            Template("{% with n=unread_notifications %}{{ n }} {{ n }}{% endwith %}").render(Context(context)) == "5 5"
        )


def test_the_settings_offer_the_kinds_of_the_persons_role_with_the_defaults(client):
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))

    page = client.get(reverse("notifications:settings"))

    form = page.context["form"]
    assert list(form.fields) == [Kind.QUESTION_ASKED, Kind.CASE_DECIDED, Kind.POLICE_OUTCOME]
    assert form[Kind.QUESTION_ASKED].initial == Delivery.IMMEDIATELY
    assert "A new referral to your force" not in page.text


def test_choices_are_saved_and_shown_again(client):
    person = sign_in_verified(client, UserFactory(role=Role.OFFICER))
    choices = {
        kind: Delivery.IMMEDIATELY
        for kind in (
            Kind.VOLUNTEER_ANSWERED,
            Kind.FORCE_ANSWERED,
            Kind.CASE_ASSIGNED,
            Kind.REFERRAL_OVERDUE,
            Kind.PLATFORM_CLOCK,
        )
    }
    choices[Kind.FORCE_ANSWERED] = Delivery.DAILY
    choices[Kind.CASE_ASSIGNED] = Delivery.OFF

    response = client.post(reverse("notifications:settings"), choices, follow=True)

    assert "Your choices are saved." in response.text
    saved = dict(NotificationPreference.objects.filter(user=person).values_list("kind", "delivery"))
    assert saved[Kind.FORCE_ANSWERED] == Delivery.DAILY and saved[Kind.CASE_ASSIGNED] == Delivery.OFF
    assert response.context["form"][Kind.CASE_ASSIGNED].initial == Delivery.OFF


def test_a_missing_choice_is_said_on_the_same_page_with_the_others_kept(client):
    person = sign_in_verified(client, UserFactory(role=Role.VOLUNTEER))

    response = client.post(
        reverse("notifications:settings"),
        {Kind.QUESTION_ASKED: Delivery.OFF, Kind.CASE_DECIDED: "sometimes", Kind.NEW_REFERRAL: Delivery.OFF},
    )

    assert response.status_code == 200
    assert "Choose how you want to hear about this." in response.text  # police outcome left out
    assert "Choose one of the three ways shown." in response.text
    assert 'value="off" class="form-check-input" id="id_question_asked_2" required checked' in response.text
    assert not NotificationPreference.objects.filter(user=person).exists()


def test_a_kind_outside_the_persons_role_is_not_saved(db):
    from notifications.services import notification_preferences_save

    person = UserFactory(role=Role.VOLUNTEER)
    notification_preferences_save(user=person, choices={Kind.NEW_REFERRAL: Delivery.OFF, Kind.CASE_DECIDED: "off"})

    assert list(NotificationPreference.objects.values_list("kind", flat=True)) == [Kind.CASE_DECIDED]


def test_without_an_address_the_settings_say_nothing_is_e_mailed(client):
    sign_in_verified(client, UserFactory(role=Role.VOLUNTEER, email=""))
    assert "There is no e-mail address on your account" in client.get(reverse("notifications:settings")).text
