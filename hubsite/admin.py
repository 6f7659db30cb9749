from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from hubsite import roles
from hubsite.accounts import InvitationRefused, password_changed, user_invite
from hubsite.admin_mixins import ReadOnlyAdmin
from hubsite.audit import record_role_change
from hubsite.models import AuditEvent, PartnerOrganisation, PartnerToken, User
from hubsite.partner_tokens import (
    PartnerTokenError,
    partner_accounts,
    partner_token_issue,
    partner_token_revoke,
    partner_tokens_revoke_all,
)

admin.site.site_header = "Hub administration"
admin.site.site_title = "Hub admin"

# Fields only a superuser may set: with them an admin could step outside their role.
_ESCALATING_FIELDS = ("is_superuser", "user_permissions")
# Standing recorded in the audit log beside the roles, when an admin changes it.
_STANDING = ("is_active", "is_staff", "is_superuser")


class HubUserChangeForm(UserChangeForm):
    def clean(self):
        # An organisation lets its partners read every report sent for it and names its sender "Partner: ..."
        # to officers: only a partner's account may have one, and never a volunteer's.
        cleaned = super().clean()
        if cleaned.get("partner_organisation") is None or "groups" not in cleaned:
            return cleaned
        user = self.instance
        codename = roles.SUBMIT_REPORT_VIA_API.split(".", 1)[1]
        permissions = cleaned.get("user_permissions", user.user_permissions.all())
        is_partner = (
            cleaned["groups"].filter(permissions__codename=codename).exists()
            or permissions.filter(codename=codename).exists()
        )
        if hasattr(user, "volunteer"):
            self.add_error(
                "partner_organisation",
                "This is a volunteer's account, and a volunteer belongs to no partner organisation: "
                "leave the organisation empty.",
            )
        elif not is_partner:
            self.add_error(
                "partner_organisation",
                "Only partner accounts belong to an organisation: give the account the partner role, "
                "or leave the organisation empty.",
            )
        return cleaned


@admin.register(User)
class HubUserAdmin(UserAdmin):
    form = HubUserChangeForm
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    fieldsets = (*UserAdmin.fieldsets, ("Partner", {"fields": ("partner_organisation",)}))
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
        left = stored.partner_organisation if stored else None
        if left is not None and left.pk != obj.partner_organisation_id:
            revoked = partner_tokens_revoke_all(user=obj, by=request.user, request=request)
            if revoked:
                self.message_user(
                    request,
                    f"{revoked} token{'' if revoked == 1 else 's'} of this account revoked: "
                    f"{'it was' if revoked == 1 else 'they were'} issued for {left}. Issue new ones if needed.",
                    messages.WARNING,
                )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        groups, standing = getattr(request, "_roles_before", (set(), {}))
        changed = {flag: getattr(user, flag) for flag in _STANDING if standing.get(flag, False) != getattr(user, flag)}
        record_role_change(
            user=user, before=groups, after=set(user.groups.values_list("name", flat=True)), by=request.user, **changed
        )

    def user_change_password(self, request, id, form_url=""):
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        # Django's view also redirects without saving (on "Conflicting form data"): only a stored password that
        # differs afterwards is a change. The save, its audit entry and the end of the owner's other sessions
        # happen together or not at all.
        with transaction.atomic():
            before = self._stored_password(id)
            response = super().user_change_password(request, id, form_url)
            after = self._stored_password(id)
            if before is not None and after != before:
                user = self.get_object(request, unquote(id))
                mine = user == request.user
                # Set here, the password signs its owner out everywhere (the admin stays signed in, if theirs).
                password_changed(
                    user=user,
                    keep_session_key=request.session.session_key if mine else None,
                    how="by themselves in the admin" if mine else f"by {request.user.get_username()} in the admin",
                )
        return response

    @staticmethod
    def _stored_password(id) -> str | None:
        try:
            return User.objects.filter(pk=unquote(id)).values_list("password", flat=True).first()
        except (ValueError, ValidationError):
            return None

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


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    """Organisations that send reports over the API. Give each partner account its organisation on the
    account's page; officers see the organisation's name on its reports."""

    list_display = ("name", "member_count", "created_at")
    search_fields = ("name",)
    readonly_fields = ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description="partner accounts", ordering="member_total")
    def member_count(self, organisation) -> int:
        return organisation.member_total


class PartnerTokenIssueForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, such as the system that will use it: “Case system”."
    )
    user = forms.ModelChoiceField(
        queryset=partner_accounts().select_related("partner_organisation").order_by("username"),
        label="Partner account",
        help_text="Only active accounts with the partner role are listed. The account needs its organisation set.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.get_username()} ({user.partner_organisation or 'no organisation yet'})"
        )


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    """Issue, list and revoke partner API tokens. A token is shown once, on the page that issues it; the Hub keeps
    only its hash. Tokens are never edited or deleted (revoke one instead: the row says when it was used)."""

    # hubsite.partner_tokens records each issue and revocation in the audit log itself, with more than the
    # admin's generic "added" would say; wrapping this admin too would record each twice.
    hub_audited = True

    list_display = ("name", "prefix_shown", "user", "organisation", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "user__partner_organisation")
    list_select_related = ("user__partner_organisation",)
    search_fields = ("name", "prefix", "user__username", "user__partner_organisation__name")
    actions = ["revoke"]
    fields = ("name", "prefix", "user", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by")
    readonly_fields = fields

    @admin.display(description="starts with", ordering="prefix")
    def prefix_shown(self, token: PartnerToken) -> str:
        return f"{token.prefix}…"

    @admin.display(description="organisation", ordering="user__partner_organisation__name")
    def organisation(self, token: PartnerToken):
        return token.user.partner_organisation

    def has_change_permission(self, request, obj=None):
        # Changing lets the revoke action be offered on the list; one token's own page only shows it.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the chosen tokens", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(
            partner_token_revoke(token=token, by=request.user, request=request)
            for token in queryset.select_related("user")
        )
        messages.success(request, f"Revoked {revoked} token{'s' if revoked != 1 else ''}: they no longer work.")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PartnerTokenIssueForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                issued = partner_token_issue(
                    name=form.cleaned_data["name"], user=form.cleaned_data["user"], by=request.user, request=request
                )
            except PartnerTokenError as refused:
                form.add_error(refused.field, str(refused))
            else:
                return self._issued_page(request, issued)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Issue a partner token",
            "form": form,
        }
        return TemplateResponse(request, "admin/hubsite/partnertoken/issue.html", context)

    def _issued_page(self, request, issued):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Partner token issued",
            "token": issued.token,
            "secret": issued.secret,
        }
        response = TemplateResponse(request, "admin/hubsite/partnertoken/issued.html", context)
        # The secret is on this page and nowhere else: no cache may keep it (no-store among these headers).
        add_never_cache_headers(response)
        return response
