from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("new/", views.ReportCreateView.as_view(), name="new"),
    path("share/", views.ShareTargetView.as_view(), name="share"),
    path("mine/", views.MyReportsView.as_view(), name="mine"),
    path("challenge/", views.CounterSpeechCreateView.as_view(), name="challenge"),
    path("<int:pk>/screenshot/", views.ScreenshotView.as_view(), name="screenshot"),
]
