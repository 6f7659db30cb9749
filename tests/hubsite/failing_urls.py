"""The Hub's addresses plus two that fail, to see the 500 pages (pages and API) as people and clients get them."""

from django.urls import path

from wiring.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("a fault in the Hub, for the test")


urlpatterns = [path("fails/", fails), path("api/v1/fails/", fails), *urlpatterns]
