"""The force liaison portal: one force's referrals, and the force's answers to them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from hubsite import roles
from hubsite.audit import audit_record, record_referral_list_read
from hubsite.models import AuditEvent
from triage import casework, selectors
from triage.models import ForceLiaison
from triage.operations import REFERRAL_OPERATIONS
from triage.packages import referral_package


class LiaisonMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = roles.LIAISE_FOR_FORCE

    def referrals(self):
        return selectors.referrals(viewer=self.request.user)


class ReferralListView(LiaisonMixin, ListView):
    template_name = "triage/liaison/referral_list.html"
    context_object_name = "referrals"
    paginate_by = 25

    def get_queryset(self):
        return self.referrals().prefetch_related("offences")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        page = response.context_data["page_obj"]
        # The page's own list: read once here, and the template shows the same rows without a second query.
        record_referral_list_read(request=request, referrals=page.object_list, how="By the force", page=page.number)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = ForceLiaison.objects.filter(user=self.request.user).select_related("force").first()
        context.update(force=membership.force if membership else None, now=timezone.now())
        return context


class ReferralDetailView(LiaisonMixin, View):
    """One referral with its package, and the forms for the force's answer."""

    template_name = "triage/liaison/referral_detail.html"

    def get(self, request, pk: int, bound=None):
        referral = get_object_or_404(self.referrals(), pk=pk)
        forms = {
            name.replace("-", "_"): operation.form()
            for name, operation in REFERRAL_OPERATIONS.items()
            if operation.form is not None
        }
        forms.update({name.replace("-", "_"): form for name, form in (bound or {}).items()})
        context = {"referral": referral, "package": referral_package(referral, viewer=request.user), "forms": forms}
        audit_record(AuditEvent.Action.REFERRAL_VIEWED, target=referral, request=request, summary="By the force")
        return render(request, self.template_name, context)

    def post(self, request, pk: int, action: str):
        referral = get_object_or_404(self.referrals(), pk=pk)
        operation = REFERRAL_OPERATIONS.get(action)
        if operation is None:
            return HttpResponseRedirect(reverse("liaison:referral", args=[pk]))
        if not request.user.has_perm(operation.permission):
            raise PermissionDenied
        form = operation.form(request.POST) if operation.form else None
        if form is None or form.is_valid():
            try:
                answered = operation.carry_out(referral, request.user, form.cleaned_data if form else {})
            except casework.CaseWorkError as error:
                if form is None:
                    messages.error(request, str(error))
                    return HttpResponseRedirect(reverse("liaison:referral", args=[pk]))
                form.add_error(None, str(error))
            else:
                messages.success(request, operation.done(answered))
                return HttpResponseRedirect(reverse("liaison:referral", args=[pk]))
        return self.get(request, pk, bound={action: form})
