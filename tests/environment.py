"""Loaded by pytest (``-p tests.environment`` in pytest.ini) before Django is set up.

Tests run with DEBUG off, as the Hub is deployed, so they need a secret key.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-deployment")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("STATIC_MANIFEST", "false")
