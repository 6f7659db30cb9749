"""A person's own notifications and their choices. Every signed-in role has both; nobody sees another's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, ListView

from notifications.forms import PreferencesForm
from notifications.selectors import notification_list, notification_preferences
from notifications.services import notification_preferences_save, notifications_mark_read


class NotificationListView(LoginRequiredMixin, ListView):
    """Newest first. The notifications shown are marked read as the page is made; they still show as new on it."""

    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return notification_list(viewer=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = list(context["page_obj"].object_list)
        context["notifications"] = shown
        unread = [notification.pk for notification in shown if notification.read_at is None]
        if unread:
            notifications_mark_read(user=self.request.user, notification_pks=unread)
        return context


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        marked = notifications_mark_read(user=request.user)
        messages.success(request, "All your notifications are marked read." if marked else "Nothing was unread.")
        return HttpResponseRedirect(reverse("notifications:list"))


class PreferencesView(LoginRequiredMixin, FormView):
    template_name = "notifications/settings.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "user": user, "current": notification_preferences(viewer=user)}

    def form_valid(self, form):
        notification_preferences_save(user=self.request.user, choices=form.cleaned_data)
        messages.success(self.request, "Your choices are saved.")
        return HttpResponseRedirect(reverse("notifications:settings"))
