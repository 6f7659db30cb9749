"""Account pages: a forgotten password reset by e-mail, a first password set from an invitation, and the
person's signed-in devices. Django's password views, with the Hub's services behind them (hubsite.accounts,
hubsite.signed_in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from hubsite.account_mail import invitation_tokens, reset_tokens
from hubsite.accounts import (
    PasswordResetLimited,
    password_changed,
    password_reset_request,
    password_set_by_link,
)
from hubsite.addresses import client_address
from hubsite.forms import PasswordResetRequestForm
from hubsite.signed_in import describe_device, record_signed_in, sessions_end, signed_in_sessions


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"

    def form_valid(self, form):
        try:
            password_reset_request(email=form.cleaned_data["email"], address=client_address(self.request))
        except PasswordResetLimited as refused:
            form.add_error(None, str(refused))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    token_generator = reset_tokens
    # Never signed in by the link: staff would skip their code. Everyone signs in again with the new password.
    post_reset_login = False
    how = "reset"

    def get_user(self, uidb64):
        # A link sent before the account was switched off must not set a password on it.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            password_set_by_link(user=form.user, how=self.how)
        return response


class InvitationConfirmView(PasswordResetConfirmView):
    token_generator = invitation_tokens
    how = "invitation"
    extra_context = {"invitation": True}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page (the current password, then the new one twice); this browser stays signed in, no other does."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("signed_in_devices")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)  # saves, and keeps this session under a new key
            password_changed(user=form.user, keep_session_key=self.request.session.session_key, how="by themselves")
            record_signed_in(sender=None, request=self.request, user=form.user)
        messages.success(self.request, "Your password is changed. Anywhere else you were signed in is signed out.")
        return response


@login_required
def signed_in_devices(request: HttpRequest) -> HttpResponse:
    current = request.session.session_key
    devices = [
        {"row": row, "device": describe_device(row.user_agent), "this_device": row.session_id == current}
        for row in signed_in_sessions(request.user)
    ]
    others = sum(1 for device in devices if not device["this_device"])
    return render(request, "hubsite/signed_in_devices.html", {"devices": devices, "others": others})


@login_required
@require_POST
def sign_out_other_devices(request: HttpRequest) -> HttpResponse:
    ended = sessions_end(user=request.user, keep_session_key=request.session.session_key, why="signed out elsewhere")
    if ended:
        messages.success(request, f"Signed out of {ended} other device{'' if ended == 1 else 's'}.")
    else:
        messages.info(request, "You were not signed in anywhere else.")
    return redirect("signed_in_devices")


@login_required
@require_POST
def sign_out_device(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's session is not theirs to know of: 404, as for one that never was.
    row = get_object_or_404(signed_in_sessions(request.user), pk=pk)
    if row.session_id == request.session.session_key:
        messages.info(request, "That is this device: use “Sign out” at the top of the page.")
    else:
        sessions_end(user=request.user, only_pk=row.pk, why="signed out one device")
        messages.success(request, f"Signed out of {describe_device(row.user_agent)}.")
    return redirect("signed_in_devices")
