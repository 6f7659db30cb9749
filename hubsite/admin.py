from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin

from hubsite.accounts import InvitationRefused, password_changed, user_invite
from hubsite.admin_mixins import ReadOnlyAdmin
from hubsite.audit import record_role_change
from hubsite.models import AuditEvent, User

admin.site.site_header = "Hub administration"
admin.site.site_title = "Hub admin"

# Fields only a superuser may set: with them an admin could step outside their role.
_ESCALATING_FIELDS = ("is_superuser", "user_permissions")
# Standing recorded in the audit log beside the roles, when an admin changes it.
_STANDING = ("is_active", "is_staff", "is_superuser")


@admin.register(User)
class HubUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    actions = ["send_invitation"]

    @admin.action(description="Send invitation e-mail (a link to set the password)", permissions=["change"])
    def send_invitation(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                user_invite(user=user, invited_by=request.user)
            except InvitationRefused as refused:
                self.message_user(request, str(refused), messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(request, f"Invitation e-mailed to {sent} account{'' if sent == 1 else 's'}.")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field not in _ESCALATING_FIELDS]})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        stored = User.objects.filter(pk=obj.pk).first() if change else None
        request._roles_before = (
            set(stored.groups.values_list("name", flat=True)) if stored else set(),
            {flag: getattr(stored, flag) for flag in _STANDING} if stored else {},
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        groups, standing = getattr(request, "_roles_before", (set(), {}))
        changed = {flag: getattr(user, flag) for flag in _STANDING if standing.get(flag, False) != getattr(user, flag)}
        record_role_change(
            user=user, before=groups, after=set(user.groups.values_list("name", flat=True)), by=request.user, **changed
        )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # Set here, the password signs its owner out everywhere (the admin stays signed in, if it is theirs).
            user = self.get_object(request, unquote(id))
            mine = user == request.user
            password_changed(
                user=user,
                keep_session_key=request.session.session_key if mine else None,
                how="by themselves in the admin" if mine else f"by {request.user.get_username()} in the admin",
            )
        return response

    def has_change_permission(self, request, obj=None):
        # Only a superuser may change a superuser's account (password included).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


class ObjectTypeFilter(admin.AllValuesFieldListFilter):
    """The kinds of object in the log, with a name for entries about no one object (sign-ins, exports)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice["display"] = "None (sign-ins, exports, purges)"
            yield choice


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: admins search and filter it; nobody adds, changes or deletes entries."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "summary", "address")
    list_filter = ("action", ("object_type", ObjectTypeFilter), ("at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "object_id", "summary", "address")
    date_hierarchy = "at"
    list_select_related = False
    show_full_result_count = False  # the log is long; counting it all on every page is slow
