"""Admins help people who are locked out: a lost phone (remove their authenticator, so they set it up again on
next sign-in) or a brute-force pause (lift it). Each removal is written in the audit log.

The screens are django-otp's and django-axes's own; this wraps their deletions with an audit entry.
"""

from __future__ import annotations

from django.contrib import admin

from hubsite.admin_mixins import rewrap_admin


def _audited(base):
    class Audited(base):
        def delete_model(self, request, obj):
            _record(request, obj)
            super().delete_model(request, obj)

        def delete_queryset(self, request, queryset):
            for obj in queryset:
                _record(request, obj)
            super().delete_queryset(request, queryset)

    Audited.__name__ = f"Audited{base.__name__}"
    return Audited


def _record(request, obj) -> None:
    from hubsite.audit import audit_record
    from hubsite.models import AuditEvent

    owner = getattr(obj, "user", None)
    what = {
        "totpdevice": "authenticator app removed: they set up a new one at their next sign-in",
        "staticdevice": "backup codes removed",
        "accessattempt": "sign-in pause lifted",
    }.get(obj._meta.model_name, "removed")
    who = owner.get_username() if owner is not None else getattr(obj, "username", "") or "someone"
    audit_record(AuditEvent.Action.SECURITY_CHANGED, target=owner or obj, request=request, summary=f"{who}: {what}")


def audit_sign_in_security_admins() -> None:
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice, AccessAttempt):
        if model in admin.site._registry:
            rewrap_admin(model, _audited)
