"""Signing a test client in as someone who passed both steps of sign-in."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user) -> TOTPDevice:
    """The person's authenticator app: a confirmed TOTP device, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    """The six digits the app shows at this moment."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def sign_in_verified(client, user):
    """As if ``user`` gave their password and their app's code: django-otp's session mark on a signed-in client."""
    device = authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user


def login_wizard(username: str, password: str) -> dict:
    """The first step of the sign-in form, as posted."""
    return {"login_view-current_step": "auth", "auth-username": username, "auth-password": password}


def token_step(code: str) -> dict:
    return {"login_view-current_step": "token", "token-otp_token": code}
