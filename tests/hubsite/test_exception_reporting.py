"""The DEBUG error page and the error e-mails show where the Hub connects, never with which password."""

import sys

import pytest
from django.views.debug import ExceptionReporter, technical_500_response

from hubsite.exception_reporting import mask_url_credentials

MASK = "********************"
# Each URL-shaped setting, and the same variables in the environment (runserver copies it into request.META).
URLS = {
    "DATABASE_URL": "postgres://hub:db-pass-8841@db.example:5432/hub",
    "CACHE_URL": "redis://:cache-pass-2217@cache.example:6379/1",
    "CELERY_BROKER_URL": "redis://hub:broker-p@ss-5530@broker.example:6379/0",
    "CELERY_RESULT_BACKEND": "redis://:result-pass-9912@results.example:6379/2",
}
# Django hides a PASSWORD key itself; the filter keeps doing so inside any settings dict.
DATABASES_LIKE = {"default": {"HOST": "db.example", "PASSWORD": "dict-pass-3381"}}
# Kept out of the failing code's lines, which the page shows around each frame.
PASSWORDS = ["db-pass-8841", "cache-pass-2217", "broker-p@ss-5530", "result-pass-9912", "dict-pass-3381"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://hub:secret@db:5432/hub", f"postgres://hub:{MASK}@db:5432/hub"),
        ("redis://:secret@redis:6379/1", f"redis://:{MASK}@redis:6379/1"),
        ("amqp://guest:p@ss@rabbit:5672//", f"amqp://guest:{MASK}@rabbit:5672//"),
        ("https://ghp_token123@github.com/x", f"https://{MASK}@github.com/x"),
        ("a=redis://:one@h1:1/0, b=redis://u:two@h2/3", f"a=redis://:{MASK}@h1:1/0, b=redis://u:{MASK}@h2/3"),
        ("postgres://db.example:5432/hub", "postgres://db.example:5432/hub"),
        ("write to hub@example.org", "write to hub@example.org"),
    ],
)
def test_credentials_in_urls_are_masked_and_the_rest_kept(url, shown):
    assert mask_url_credentials(url) == shown


def _reports(settings, monkeypatch, rf):
    """The technical 500 page (DEBUG on) and the error e-mail's text and HTML for one error, with passwords in
    URL settings, the environment, a settings dict and a local variable of the failing code."""
    settings.DEBUG = True
    for name, url in URLS.items():
        setattr(settings, name, url)
        monkeypatch.setenv(name, url)
    settings.HUB_TEST_DATABASES = DATABASES_LIKE
    request = rf.get("/triage/", **URLS)

    def connect(broker_url):
        raise ConnectionError("the broker did not answer")

    try:
        connect(URLS["CELERY_BROKER_URL"])
    except ConnectionError:
        exc_info = sys.exc_info()
    page = technical_500_response(request, *exc_info).content.decode()
    reporter = ExceptionReporter(request, *exc_info, is_email=True)
    return {"page": page, "e-mail text": reporter.get_traceback_text(), "e-mail html": reporter.get_traceback_html()}


def test_the_debug_page_and_error_emails_mask_passwords_in_urls(settings, monkeypatch, rf):
    for kind, shown in _reports(settings, monkeypatch, rf).items():
        for password in PASSWORDS:
            assert password not in shown, f"{password} is on the {kind}"
        assert "db.example:5432/hub" in shown and f"hub:{MASK}@db.example" in shown, kind
        assert "cache.example:6379/1" in shown and "broker.example:6379/0" in shown, kind
        assert "results.example:6379/2" in shown, kind
