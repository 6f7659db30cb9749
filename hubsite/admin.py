from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hubsite.models import User

admin.site.site_header = "Hub administration"
admin.site.site_title = "Hub admin"


@admin.register(User)
class HubUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
