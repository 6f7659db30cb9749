from django.urls import path

from triage import views

app_name = "triage"
urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case"),
]
