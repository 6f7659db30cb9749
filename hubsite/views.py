from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from two_factor import views as two_factor_views
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm

from hubsite import roles
from hubsite.audit import SECOND_STEPS, record_second_step_failure
from hubsite.security import has_second_step, redirect_to_sign_in
from hubsite.sign_in import SignInForm

# The libraries call every code a "token"; people know it as the code their app shows, or a backup code.
APP_CODE = "Six-digit code from your authenticator app"
WAIT = "Codes are paused for a short while after wrong tries: wait a minute, then enter the code your app shows."
SIGN_IN_MESSAGES = {
    "token_required": "Enter the six-digit code your authenticator app shows for the Hub.",
    "invalid_token": "That code is not right, or has run out. Enter the code your app shows now.",
    "n_failed_attempts": WAIT,
    "verification_not_allowed": WAIT,
}
BACKUP_WAIT = "Codes are paused for a short while after wrong tries: wait a minute, then try again."
BACKUP_MESSAGES = {
    "token_required": "Enter one of your backup codes.",
    "invalid_token": "That backup code is not right, or was used before: each works once.",
    "n_failed_attempts": BACKUP_WAIT,
    "verification_not_allowed": BACKUP_WAIT,
}
SETUP_MESSAGES = {
    "invalid_token": "That code is not right. Check the app added the Hub, then enter the code it shows now."
}
# Per wizard step: the code field, its label, and which of the form's messages to replace.
PLAIN_WORDS = {
    "token": ("otp_token", APP_CODE, "otp_error_messages", SIGN_IN_MESSAGES),
    "backup": ("otp_token", "Backup code", "otp_error_messages", BACKUP_MESSAGES),
    "generator": ("token", APP_CODE, "error_messages", SETUP_MESSAGES),
}


class PlainWordsMixin:
    """Names each wizard step's code field, and its errors, in the words a person knows."""

    def get_form(self, step=None, **kwargs):
        form = super().get_form(step=step, **kwargs)
        words = PLAIN_WORDS.get(step or self.steps.current)
        if words and words[0] in form.fields:
            field, label, messages, ours = words
            form.fields[field].label = label
            setattr(form, messages, {**getattr(form, messages), **ours})
        return form


class LoginView(PlainWordsMixin, two_factor_views.LoginView):
    # django-two-factor-auth's steps, with a password step that can say an account is suspended.
    form_list = (
        (two_factor_views.LoginView.AUTH_STEP, SignInForm),
        (two_factor_views.LoginView.TOKEN_STEP, AuthenticationTokenForm),
        (two_factor_views.LoginView.BACKUP_STEP, BackupTokenForm),
    )

    def render(self, form=None, **kwargs):
        # A refused code is shown again by this render: the one place that sees every wrong code, whichever
        # way it was wrong (not the code, a used backup code, or tried while codes are paused).
        step = self.steps.current
        if step in SECOND_STEPS and form is not None and form.is_bound and not form.is_valid():
            typed = str(form.data.get(form.add_prefix("otp_token"), "")).strip()
            if typed and self.get_user():
                paused = any(error in (WAIT, BACKUP_WAIT) for error in form.non_field_errors())
                record_second_step_failure(request=self.request, user=self.get_user(), step=step, paused=paused)
        return super().render(form, **kwargs)


class SetupView(PlainWordsMixin, two_factor_views.SetupView):
    pass


class SecondStepPagesMixin:
    """For the pages that need a second step already done (backup codes, "setup complete").

    django-otp's ``otp_required`` sends anyone who has not done the second step to sign in; the sign-in page
    sends anyone signed in straight back, and round it goes. Someone with no authenticator yet is taken to set
    one up instead; someone who has one but signed in without it signs in again, properly.
    """

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if not has_second_step(user):
                messages.info(
                    request,
                    "You have not set up two-step sign-in yet. Set it up here: it takes a minute, and your "
                    "backup codes come at the end.",
                )
                return redirect("two_factor:setup")
            logout(request)
            return redirect_to_sign_in(request)
        return super().dispatch(request, *args, **kwargs)


class BackupTokensView(SecondStepPagesMixin, two_factor_views.BackupTokensView):
    pass


class SetupCompleteView(SecondStepPagesMixin, two_factor_views.SetupCompleteView):
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work is."""
    user = request.user
    if user.has_perm(roles.WORK_QUEUE):
        return redirect("triage:queue")
    if user.has_perm(roles.SUBMIT_REPORT):
        return redirect("volunteers:dashboard")
    if user.has_perm(roles.LIAISE_FOR_FORCE):
        return redirect("liaison:referrals")
    if user.has_perm(roles.SUBMIT_REPORT_VIA_API):
        return redirect("partners:home")
    return render(request, "hubsite/home.html")
