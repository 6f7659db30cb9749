"""What the DEBUG error page and the error e-mails may show (DEFAULT_EXCEPTION_REPORTER_FILTER).

Django hides settings whose names look secret (SECRET_KEY, DATABASES' PASSWORD), but not a password written
inside a URL: DATABASE_URL, CACHE_URL, CELERY_BROKER_URL and the like, as settings and as environment
variables (runserver puts the whole environment in each request's META). Here every such URL keeps its
scheme, host, port and path, so the page still says where the Hub was connecting, and loses its credentials.
"""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://userinfo@ where userinfo is "user:password", ":password" or a bare token. The userinfo runs to the
# last "@" before the host, as a password may hold an unescaped "@".
_URL_CREDENTIALS = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<userinfo>[^/?#\s]*)@", re.IGNORECASE)


def mask_url_credentials(text: str, substitute: str = SafeExceptionReporterFilter.cleansed_substitute) -> str:
    """``text`` with the password (or a bare token) of every URL in it replaced by ``substitute``; the user
    name stays, as it says which account was used."""

    def masked(match: re.Match) -> str:
        user, has_password, _ = match["userinfo"].partition(":")
        kept = f"{user}:{substitute}" if has_password else substitute
        return f"{match['scheme']}{kept}@"

    return _URL_CREDENTIALS.sub(masked, text)


class CredentialsHidingFilter(SafeExceptionReporterFilter):
    """Django's filter, and credentials inside URLs masked in settings, request META (the environment under
    runserver) and the traceback's local variables, with DEBUG on or off."""

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if not isinstance(cleansed, str):
            return cleansed
        try:
            text = str(cleansed)  # lazy strings (the CSP nonce in META) are evaluated here
        except Exception:  # noqa: BLE001 (an error page must not fail on a value it cannot read)
            return cleansed
        masked = mask_url_credentials(text, self.cleansed_substitute)
        return cleansed if masked == text else masked

    def cleanse_special_types(self, request, value):
        value = super().cleanse_special_types(request, value)
        if type(value) in (str, dict, list, tuple):  # exact types: a MultiValueDict keeps its own shape
            return self.cleanse_setting("", value)
        return value
