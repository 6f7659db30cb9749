"""Telling a closed account apart from a wrong password, at sign-in.

Django's ModelBackend refuses an inactive account exactly as it refuses a wrong password, so a suspended
volunteer was told to "enter a correct username and password" and the audit log said "wrong password".
``HubModelBackend`` is Django's backend with one difference: when the password is right but the account is
inactive, it marks the request with why (suspended, left the Hub, or switched off by an administrator). The
sign-in form then says so, and the audit entry names it. Every attempt costs the same one password hash,
whatever the account, so only someone who knows the password learns that the account is closed; anyone
else gets the usual answer, and every attempt still counts towards the lockout.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

# Set on the request by HubModelBackend; read by SignInForm and hubsite.audit.
ACCOUNT_CLOSED = "hub_account_closed"
# Why the account is closed, in the words the person reads and the audit log keeps.
CLOSED_MESSAGES = {
    "suspended": "This account is suspended; ask the Hub's administrators.",
    "left": "This account was closed when its volunteer left the Hub; ask the Hub's administrators to reopen it.",
    "inactive": "This account is switched off; ask the Hub's administrators.",
}


def account_closed(request) -> str:
    """Why this request's sign-in, with the right password, was refused: "suspended", "left", "inactive",
    or "" when it was not refused for that."""
    return getattr(request, ACCOUNT_CLOSED, "")


def _why_closed(user) -> str:
    status = getattr(getattr(user, "volunteer", None), "status", "")
    return status if status in ("suspended", "left") else "inactive"


class HubModelBackend(ModelBackend):
    """Django's ModelBackend, which also says why a right password for an inactive account was refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and request is not None and getattr(self, "_closed", None) is not None:
            setattr(request, ACCOUNT_CLOSED, _why_closed(self._closed))
        self._closed = None
        return user

    def user_can_authenticate(self, user):
        # Django calls this only once the password has been checked and found right.
        allowed = super().user_can_authenticate(user)
        self._closed = None if allowed else user
        return allowed


class SignInForm(AuthenticationForm):
    """The password step: says so when the account is closed, instead of blaming the password."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as refused:
            why = account_closed(self.request)
            if why:
                raise ValidationError(CLOSED_MESSAGES[why], code=why) from refused
            raise
