"""Every change made in the admin goes into the audit log too, not only Django's editable admin history:
who added, changed or deleted what, with Django's own description of the change and the address it came
from. Links of liaison users to forces, categories, offences, training modules, accounts: all of it.

Each registered ModelAdmin is wrapped once the admin site is complete (``HubsiteConfig.ready``), through
the three hooks the admin calls for every addition, change and deletion (bulk deletions included).
"""

from __future__ import annotations

from django.contrib import admin

from hubsite.admin_mixins import rewrap_admin

# Models whose name is a secret (an API token's text is its key): entered under their owner, never by name.
SECRETS = {"authtoken.token", "authtoken.tokenproxy"}


def _audited(base):
    class Audited(base):
        hub_audited = True

        def log_addition(self, request, obj, message):
            entry = super().log_addition(request, obj, message)
            _record(request, obj, "Added", entry)
            return entry

        def log_change(self, request, obj, message):
            entry = super().log_change(request, obj, message)
            _record(request, obj, "Changed", entry)
            return entry

        def log_deletions(self, request, queryset):
            objects = list(queryset)
            entries = super().log_deletions(request, objects)
            for obj, entry in zip(objects, entries or [None] * len(objects), strict=True):
                _record(request, obj, "Deleted", entry)
            return entries

    Audited.__name__ = base.__name__
    Audited.__qualname__ = base.__qualname__
    return Audited


def _record(request, obj, verb: str, entry) -> None:
    from hubsite.audit import audit_record
    from hubsite.models import AuditEvent

    described = entry.get_change_message() if entry is not None else ""
    target = obj
    summary = f"{verb} {obj._meta.verbose_name} “{obj}”"
    if obj._meta.label_lower in SECRETS:
        target = obj.user
        summary = f"{verb} {obj._meta.verbose_name} of {obj.user.get_username()}"
    if described and described not in {"Added.", "No fields changed."}:
        summary += f": {described}"
    audit_record(AuditEvent.Action.ADMIN_EDITED, target=target, request=request, summary=summary, verb=verb.lower())


def audit_admin_edits() -> None:
    for model, model_admin in list(admin.site._registry.items()):
        if not getattr(model_admin, "hub_audited", False):
            rewrap_admin(model, _audited)
