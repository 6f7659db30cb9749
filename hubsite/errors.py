"""What a person sees when something goes wrong: in the site's layout, in words, with the way back.

Django's own error pages are bare ("403 Forbidden"): a volunteer who meets one has no idea what happened or
where to go. These handlers (``handler400/403/404/500`` in wiring/urls.py, ``CSRF_FAILURE_VIEW`` in settings)
render the Hub's pages instead, and keep JSON for the API, whose clients read ``detail``.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from hubsite import roles

logger = logging.getLogger(__name__)

# The API answers in JSON, even when the error happens before a DRF view is reached (an unknown address, a
# server error). The documentation page is a page for people.
_API_PREFIXES = ("/api/v1/", "/api/schema/")

API_DETAIL = {
    400: "The request could not be read.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "Something went wrong on the Hub's side; try again in a few minutes.",
}

TOO_LARGE = "The request body is larger than the Hub accepts."


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(_API_PREFIXES)


def home_link(user) -> tuple[str, str]:
    """Where this person's work is, and what to call it: the way back from an error."""
    if user is None or not user.is_authenticated:
        return "Sign in", reverse("two_factor:login")
    if user.has_perm(roles.WORK_QUEUE):
        return "Go to the queue", reverse("triage:queue")
    if user.has_perm(roles.SUBMIT_REPORT):
        return "Go to my page", reverse("volunteers:dashboard")
    if user.has_perm(roles.LIAISE_FOR_FORCE):
        return "Go to referrals", reverse("liaison:referrals")
    return "Go to the Hub's home page", reverse("home")


def error_page(
    request: HttpRequest, *, status: int, title: str, message: str, hint: str = "", return_to: str | None = None
) -> HttpResponse:
    """A page in the site's layout saying what happened, with the way home and a way to sign in as someone else."""
    label, href = home_link(getattr(request, "user", None))
    if return_to is None and request.method == "GET":
        return_to = request.get_full_path()
    sign_in = reverse("two_factor:login")
    context = {
        "status": status,
        "title": title,
        "message": message,
        "hint": hint,
        "home_label": label,
        "home_href": href,
        # Signing out lands on the sign-in page, which then brings whoever signs in back to this address.
        "sign_in_again": f"{sign_in}?{urlencode({'next': return_to})}" if return_to else sign_in,
    }
    return render(request, "errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        too_large = isinstance(exception, RequestDataTooBig)
        return JsonResponse({"detail": TOO_LARGE if too_large else API_DETAIL[400]}, status=400)
    return error_page(
        request,
        status=400,
        title="The Hub could not read that request",
        message="Something in the request was not as the Hub expects, so nothing was done.",
        hint="Go back and try again. If it keeps happening, tell the Hub's administrators what you were doing.",
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": API_DETAIL[403]}, status=403)
    return error_page(
        request,
        status=403,
        title="This page is not open to your account",
        message="You are signed in, but your role does not include this part of the Hub.",
        hint="If you think your role should include it, ask the Hub's administrators.",
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": API_DETAIL[404]}, status=404)
    return error_page(
        request,
        status=404,
        title="There is no page here",
        message="The address may be mistyped, or what it pointed to has been removed, or is not yours to see.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that was open too long, or from another tab after signing out."""
    if is_api_request(request):
        return JsonResponse({"detail": f"CSRF Failed: {reason}"}, status=403)
    return error_page(
        request,
        status=403,
        title="That form had expired",
        message="The page was open for a long time, or you signed in or out in another tab, so the form "
        "you sent was refused and nothing was changed.",
        hint="Go back, reload the page, and send it again.",
    )


def admin_refused(request: HttpRequest, *, return_to: str) -> HttpResponse:
    """A signed-in person whose role does not include the admin site (instead of sending them to sign in)."""
    return error_page(
        request,
        status=403,
        title="This part of the Hub is for administrators",
        message="You are signed in, but your role does not include the admin site.",
        hint="If you need something changed there, ask the Hub's administrators.",
        return_to=return_to,
    )


# The 500 page is rendered without the request: the context processors (the user, the menu) may be what
# failed, so it must need nothing but the template itself. If even that fails, a few plain words remain.
_LAST_RESORT = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Something went wrong · Hub</title>'
    "</head><body><main><h1>Something went wrong on the Hub's side</h1><p>Nothing you sent was lost. Try again "
    'in a few minutes. <a href="/">Go to the Hub\'s home page</a>.</p></main></body></html>'
)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": API_DETAIL[500]}, status=500)
    try:
        body = loader.get_template("errors/500.html").render({})
    except Exception:
        logger.exception("The 500 page could not be drawn; sending the plain one")
        body = _LAST_RESORT
    return HttpResponse(body, status=500)
