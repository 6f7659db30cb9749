"""Who must sign in with a second step, and how long staff may stay idle.

Officers, force liaison users and admins see victims' details and refer crimes:
their sign-in needs a one-time code from an authenticator app (TOTP), with
backup codes for a lost phone (django-two-factor-auth, on django-otp). One who
has not set it up yet is taken to the setup on first sign-in and can do nothing
else until it is done. Volunteers and partners may opt in.

Staff sessions end after ``STAFF_IDLE_MINUTES`` without a request.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django_otp import devices_for_user

from hubsite import roles

LAST_SEEN = "hub_last_seen"

# What a person who must still set up or complete their second step may reach.
OPEN_WHILE_ENROLLING = {
    "two_factor:login",
    "two_factor:setup",
    "two_factor:qr",
    "two_factor:setup_complete",
    "two_factor:backup_tokens",
    "logout",
    "healthz",
    "readyz",
}


def requires_two_factor(user) -> bool:
    """Staff roles must use a second step; volunteers and partners may."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.has_perm(roles.WORK_QUEUE) or user.has_perm(roles.LIAISE_FOR_FORCE))
    )


def has_second_step(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


class StaffSecurityMiddleware:
    """After django-otp's middleware: holds staff to their second step, and signs idle staff out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and requires_two_factor(user):
            if self._idle_too_long(request):
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {settings.STAFF_IDLE_MINUTES} minutes without activity. "
                    "Sign in again to carry on.",
                )
                return redirect_to_sign_in(request)
            now = int(time.time())
            if now - request.session.get(LAST_SEEN, 0) >= 60:  # to the minute: no session write on every request
                request.session[LAST_SEEN] = now
            url_name = self._url_name(request)
            if not user.is_verified() and url_name not in OPEN_WHILE_ENROLLING:
                if has_second_step(user):
                    # Signed in some other way than with the code: sign in properly.
                    logout(request)
                    return redirect_to_sign_in(request)
                messages.info(
                    request,
                    "Your role needs two-step sign-in: set it up now with an authenticator app on your phone. "
                    "It takes a minute, and you will get backup codes in case you lose the phone.",
                )
                return redirect("two_factor:setup")
            if url_name == "two_factor:disable":
                messages.error(request, "Your role needs two-step sign-in, so it cannot be turned off.")
                return redirect("two_factor:profile")
        return self.get_response(request)

    @staticmethod
    def _idle_too_long(request) -> bool:
        last = request.session.get(LAST_SEEN)
        return last is not None and time.time() - last > settings.STAFF_IDLE_MINUTES * 60

    @staticmethod
    def _url_name(request) -> str | None:
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None


def redirect_to_sign_in(request):
    target = reverse(settings.LOGIN_URL)
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    return redirect(target)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows once a username has had too many wrong passwords from one address."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def axes_username(request, credentials=None) -> str | None:
    """The username a sign-in attempt is for: given to ``authenticate``, or typed in the sign-in form's first step."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    return getattr(request, "POST", {}).get("auth-username")
