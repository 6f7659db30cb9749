"""Telling a suspended account apart from a wrong password, at sign-in.

Django's ModelBackend refuses an inactive account exactly as it refuses a wrong password, so a suspended
volunteer was told to "enter a correct username and password" and the audit log said "wrong password".
``SuspendedAccountBackend`` comes after it: it lets no one in, and only marks the request when the account
is suspended *and* the password was right. The sign-in form then says the account is suspended, and the
audit entry says "suspended account". Only someone who knows the password learns that the account is
suspended; anyone else still gets the usual answer, and every attempt still counts towards the lockout.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

# Set on the request by SuspendedAccountBackend; read by SignInForm and hubsite.audit.
ACCOUNT_SUSPENDED = "hub_account_suspended"
SUSPENDED_MESSAGE = "This account is suspended; ask the Hub's administrators."


def account_suspended(request) -> bool:
    """Whether this request's sign-in gave the right password for a suspended account."""
    return bool(getattr(request, ACCOUNT_SUSPENDED, False))


class SuspendedAccountBackend:
    """Signs no one in (and restores no session): it only recognises a suspended account's right password.

    Listed after ModelBackend, so it runs only once that has refused, and never when django-axes has already
    stopped the attempt (a paused username and address learn nothing).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None or password is None:
            return None
        users = get_user_model()._default_manager
        try:
            user = users.get_by_natural_key(username)
        except users.model.DoesNotExist:
            return None
        if not user.is_active and user.check_password(password):
            setattr(request, ACCOUNT_SUSPENDED, True)
        return None

    def get_user(self, user_id):
        return None


class SignInForm(AuthenticationForm):
    """The password step: says so when the account is suspended, instead of blaming the password."""

    error_messages = {**AuthenticationForm.error_messages, "suspended": SUSPENDED_MESSAGE}

    def clean(self):
        try:
            return super().clean()
        except ValidationError as refused:
            if account_suspended(self.request):
                raise ValidationError(self.error_messages["suspended"], code="suspended") from refused
            raise
