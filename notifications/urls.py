from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("read/", views.MarkAllReadView.as_view(), name="mark-all-read"),
    path("settings/", views.PreferencesView.as_view(), name="settings"),
]
