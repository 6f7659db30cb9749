from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class HubAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the Hub's site (hubsite/admin_site.py) as ``admin.site``. Named in INSTALLED_APPS;
    not this module's default, which stays ``HubsiteConfig`` for "hubsite"."""

    default = False
    default_site = "hubsite.admin_site.HubAdminSite"


class HubsiteConfig(AppConfig):
    name = "hubsite"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from hubsite import checks  # noqa: F401 (registers the system checks)
        from hubsite.audit import record_sign_in, record_sign_in_failure

        # Django's own hooks for sign-in, so every way in (pages, admin) is recorded.
        user_logged_in.connect(record_sign_in, dispatch_uid="audit-sign-in")
        user_login_failed.connect(record_sign_in_failure, dispatch_uid="audit-sign-in-failed")

        from hubsite.signed_in import record_signed_in

        # The "Signed-in devices" page learns of each new session here, whichever way the person signed in.
        user_logged_in.connect(record_signed_in, dispatch_uid="signed-in-session")

        # The admin site has read every app's admin module by now (django.contrib.admin comes first).
        from hubsite.admin_audit import audit_admin_edits
        from hubsite.admin_security import audit_sign_in_security_admins

        audit_sign_in_security_admins()
        audit_admin_edits()
