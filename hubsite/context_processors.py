from django.http import HttpRequest
from django.urls import reverse

from hubsite import roles
from hubsite.security import requires_two_factor


def navigation(request: HttpRequest) -> dict:
    """The links the signed-in person may follow, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "two_step_required": False}
    links = []
    if user.has_perm(roles.SUBMIT_REPORT):
        links.append(("My page", reverse("volunteers:dashboard")))
        links.append(("Report a post", reverse("reports:new")))
        links.append(("My reports", reverse("reports:mine")))
    if user.has_perm(roles.SUBMIT_REPORT_VIA_API):
        links.append(("Our reports", reverse("partners:home")))
        links.append(("API", reverse("api-docs")))
    if user.has_perm(roles.WORK_QUEUE):
        links.append(("Queue", reverse("triage:queue")))
        links.append(("Referrals", reverse("triage:referrals")))
    if user.has_perm(roles.VIEW_STATISTICS):
        links.append(("Statistics", reverse("triage:stats")))
    if user.has_perm(roles.LIAISE_FOR_FORCE):
        links.append(("Referrals", reverse("liaison:referrals")))
    if user.is_staff:
        links.append(("Admin", reverse("admin:index")))
    return {"nav_links": links, "two_step_required": requires_two_factor(user)}
