from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hubsite.models import User

admin.site.site_header = "Hub administration"
admin.site.site_title = "Hub admin"

# Fields only a superuser may set: with them an admin could step outside their role.
_ESCALATING_FIELDS = ("is_superuser", "user_permissions")


@admin.register(User)
class HubUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field not in _ESCALATING_FIELDS]})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        # Only a superuser may change a superuser's account (password included).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)
