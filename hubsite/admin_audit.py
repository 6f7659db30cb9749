"""Every change made in the admin goes into the audit log too, not only Django's editable admin history:
who added, changed or deleted what, with Django's own description of the change and the address it came
from. Links of liaison users to forces, categories, offences, training modules, accounts: all of it.

Each registered ModelAdmin is wrapped once the admin site is complete (``HubsiteConfig.ready``), through
the three hooks the admin calls for every addition, change and deletion (bulk deletions included). Opening
the page of a report, case, referral or volunteer profile is recorded too (``change_view``): those pages show
evidence and people's details.
"""

from __future__ import annotations

from django.contrib import admin

from hubsite.admin_mixins import rewrap_admin

# Models whose admin page shows evidence or a person's details: opening one is recorded, as reading a case is.
READS_RECORDED = {"reports.report", "triage.case", "triage.referral", "volunteers.volunteerprofile"}


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

        def change_view(self, request, object_id, form_url="", extra_context=None):
            response = super().change_view(request, object_id, form_url, extra_context)
            # Shown (200) with the record: not a redirect for a missing one, nor a refusal.
            original = (getattr(response, "context_data", None) or {}).get("original")
            if response.status_code == 200 and original is not None and self.model._meta.label_lower in READS_RECORDED:
                _record_read(request, original)
            return response

    Audited.__name__ = base.__name__
    Audited.__qualname__ = base.__qualname__
    return Audited


def _record(request, obj, verb: str, entry) -> None:
    from hubsite.audit import audit_record
    from hubsite.models import AuditEvent

    described = entry.get_change_message() if entry is not None else ""
    target = obj
    summary = f"{verb} {obj._meta.verbose_name} “{obj}”"
    if described and described not in {"Added.", "No fields changed."}:
        summary += f": {described}"
    audit_record(AuditEvent.Action.ADMIN_EDITED, target=target, request=request, summary=summary, verb=verb.lower())


def _record_read(request, obj) -> None:
    from hubsite.audit import audit_record
    from hubsite.models import AuditEvent

    summary = f"Opened {obj._meta.verbose_name} “{obj}” in the admin"
    audit_record(AuditEvent.Action.ADMIN_VIEWED, target=obj, request=request, summary=summary)


def audit_admin_edits() -> None:
    for model, model_admin in list(admin.site._registry.items()):
        if not getattr(model_admin, "hub_audited", False):
            rewrap_admin(model, _audited)
