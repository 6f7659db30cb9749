"""Settings for the Hub: the one place that reads the environment.

With nothing set, the Hub runs embedded: a SQLite file under ``var/`` and
Celery tasks executed in-process. ``DATABASE_URL`` switches to PostgreSQL and
``CELERY_BROKER_URL`` to a real broker with separate worker processes.
See docs/configuration.md for every variable.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from hubsite.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HUB_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=False)

if DEBUG:
    # A development-only key: never used when DEBUG is off.
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-deploy")
else:
    SECRET_KEY = env_str(
        "SECRET_KEY",
        required=True,
        hint=(
            "With DEBUG off the Hub needs a secret key: set SECRET_KEY (or SECRET_KEY_FILE) "
            "to a long random string, e.g. the output of "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, "
            "or set DJANGO_DEBUG=true for local development."
        ),
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "hubsite.apps.HubAdminConfig",  # Django's admin with the Hub's site (hubsite/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "hubsite",
    "notifications",
    "reports",
    "volunteers",
    "triage",
    "wiring",  # URL routes, subject access and demo data: the one app that may import every other
    "axes",  # last, as django-axes asks
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hubsite.caching.PrivateResponsesMiddleware",  # no-store on signed-in pages and the API
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hubsite.security.StaffSecurityMiddleware",
    "hubsite.audit.AuditContextMiddleware",
    "hubsite.signed_in.SignedInSessionMiddleware",  # keeps the "Signed-in devices" page's last activity
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "wiring.urls"
WSGI_APPLICATION = "hubsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hubsite.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// (or sqlite://) URL.")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "hub.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one connection write at a time. A transaction that reads first and writes later cannot wait
    # for the lock (SQLite answers "database is locked" at once, to avoid a deadlock), so every transaction
    # takes the write lock as it begins (BEGIN IMMEDIATE), and waits up to SQLITE_TIMEOUT_SECONDS for it: long
    # enough for a burst to drain (100 partner submissions at once, tests/hubsite/test_embedded_server.py, took
    # 24 s on two cores, each request scoring its report in-process). Options in a sqlite:// URL's query win.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_float("SQLITE_TIMEOUT_SECONDS", 60.0),
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # One writer at a time is fine on a laptop (`make run`) and not for a service.
    if not DEBUG and not env_bool("ALLOW_SQLITE_IN_PRODUCTION", default=False):
        raise ImproperlyConfigured(
            "With DEBUG off the Hub needs PostgreSQL: set DATABASE_URL to a postgres:// URL, e.g. "
            "postgres://hub:password@db.example:5432/hub. SQLite (no DATABASE_URL, or a sqlite:// one) lets one "
            "request write at a time, so it is for `make run` (DJANGO_DEBUG=true). For a one-machine trial that "
            "accepts this, set ALLOW_SQLITE_IN_PRODUCTION=true."
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "hubsite.User"
# Sign-in is django-two-factor-auth's: password, then a one-time code for those who have set one up.
# Officers, liaison users and admins must (hubsite/security.py); volunteers may.
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "two_factor:login"
TWO_FACTOR_PATCH_ADMIN = True  # the admin signs in through the same two steps
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # no "remember this browser": every sign-in asks for the code
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Hub")
# Staff sessions end after this long without a request; everyone's after SESSION_COOKIE_AGE.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
# Brute force: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# locked out for AXES_COOLOFF_MINUTES (django-axes). HubModelBackend is Django's, which also tells a closed
# account's right password from a wrong one, so the person and the audit log are told which (hubsite/sign_in.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hubsite.sign_in.HubModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hubsite.security.locked_out"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "hubsite.security.axes_username"
# The client's address, for the lockout as for the audit log and the API's throttles: hubsite/addresses.py.
# Behind BEHIND_TLS_PROXY, TRUSTED_PROXY_COUNT proxies of ours each append to X-Forwarded-For, and the client
# is that many entries from the right; otherwise the header is ignored, as a client could write anything there.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1) if BEHIND_TLS_PROXY else 0
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more: the number of proxies in front of the Hub.")
AXES_CLIENT_IP_CALLABLE = "hubsite.addresses.client_address"
# Passwords are stored with Argon2 (memory-hard, so costly to guess on graphics cards); hashes made before are
# still checked, and replaced by Argon2 ones at their owner's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Self-service password reset (hubsite/accounts.py): the e-mailed link works once, for PASSWORD_RESET_HOURS; an
# admin's invitation to a new account, whose person may not read it the same day, for INVITATION_LINK_DAYS. Requests
# for a reset are limited per client address, and per e-mail address typed from one client (past that, silently:
# see hubsite/accounts.py), counted in the shared cache; an account gets at most one reset e-mail per
# PASSWORD_RESET_MAIL_SPACING_MINUTES (hubsite/account_mail.py).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 2) * 60 * 60
INVITATION_LINK_TIMEOUT = env_int("INVITATION_LINK_DAYS", 7) * 24 * 60 * 60
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESETS_PER_ADDRESS_PER_HOUR", 20)
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3)
PASSWORD_RESET_MAIL_SPACING = timedelta(minutes=env_int("PASSWORD_RESET_MAIL_SPACING_MINUTES", 15))

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Bootstrap ships in a PyPI package and is served from our own static files:
# the pages must work on a closed network and under a strict CSP.
_bootstrap_spec = importlib.util.find_spec("bootstrap")
if _bootstrap_spec is None or not _bootstrap_spec.submodule_search_locations:
    raise ImproperlyConfigured("Bootstrap's files are missing: install requirements.txt (bootstrap-wrapper).")
# Chart.js (the statistics page's charts) comes from npm, pinned in package.json and package-lock.json and
# installed by `npm ci` (`make install`); only its built files are served, never node_modules as a whole.
# Without them the statistics page would list its figures under blank charts, so start-up stops instead, with
# the way to install them (hubsite.E002).
CHARTJS_DIR = BASE_DIR / "node_modules" / "chart.js" / "dist"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", list(_bootstrap_spec.submodule_search_locations)[0]),
    ("vendor/chartjs", CHARTJS_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic`; development and tests serve from the sources.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Security -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form (expired page, signed out in another tab) gets the Hub's error page, not Django's bare one.
CSRF_FAILURE_VIEW = "hubsite.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Cookies are marked Secure unless the Hub is served over plain HTTP on
# purpose (local development, or a demo behind no TLS).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
# Deployed (DEBUG off) the Hub is HTTPS only: plain HTTP is redirected and browsers told, for a year, to
# never use it (HSTS). A demo over plain HTTP turns both off (SECURE_SSL_REDIRECT=false, SECURE_HSTS_SECONDS=0).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP inside the network
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading binds the whole domain to HTTPS in browsers' source code: the domain's owner decides, so it is
# off unless asked for, and `check --deploy` is told that this is on purpose.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything comes from our own origin: no inline script, nothing from a CDN.
# Bootstrap's icons are data: URIs in its CSS, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],  # the service worker (hubsite/webapp_views.py), which caches static files only
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Forms --------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "hubsite.api_auth.HubTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # drf-spectacular's, also documenting the refusals every view can answer (hubsite/api_schema.py).
    "DEFAULT_SCHEMA_CLASS": "hubsite.api_schema.HubAutoSchema",
    # DRF's JSON parser with a size and nesting limit, answering 400/413 where deep nesting gave a 500.
    "DEFAULT_PARSER_CLASSES": [
        "hubsite.api_parsers.HubJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "partner-intake": env_str("PARTNER_INTAKE_RATE", "120/minute"),
        "partner-read": env_str("PARTNER_READ_RATE", "600/minute"),
    },
    # The Hub's throttles ask hubsite.addresses; this keeps any of DRF's own to the same count of proxies.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hub API",
    "DESCRIPTION": "Online hate-crime hub: partner intake, the officers' cases and decisions, and referrals "
    "to police forces for their liaison users.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatus": "triage.models.Case.Status",
        "PlatformOutcome": "triage.models.Case.PlatformOutcome",
        "ReferralStatus": "triage.models.Referral.Status",
    },
    # Deep links nest a link inside each operation's button, which screen readers cannot use.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "persistAuthorization": False, "displayOperationId": False},
}

# --- Cache (throttling) --------------------------------------------------------
# Shared between processes when Redis is there, so limits hold across web workers. Without CACHE_URL each
# process counts alone (three gunicorn workers let three times the limit through): with DEBUG off that is
# refused by a system check (hubsite/checks.py) unless ALLOW_LOCAL_CACHE says the Hub runs as one process.
CACHE_URL = env_str("CACHE_URL", "")
ALLOW_LOCAL_CACHE = env_bool("ALLOW_LOCAL_CACHE", default=False)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------
# Without a broker the Hub runs tasks in-process (the embedded default); the
# in-memory transport is named only so that nothing tries to reach localhost.
# Even so, Celery opens a (memory) connection for each task it runs in-process,
# and kombu warns "No hostname was supplied" unless the URL names one: nothing
# is reached at that name.
BROKER_CONFIGURED = bool(env_str("CELERY_BROKER_URL", ""))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not BROKER_CONFIGURED
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that dies before finishing it goes back to the queue after this many seconds (its
# acknowledgement comes only at the end). Longer than any task may run (CELERY_TASK_TIME_LIMIT). Workers look
# for such tasks every BROKER_RESTORE_INTERVAL seconds (kombu on its own would look only every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("BROKER_VISIBILITY_TIMEOUT", 300),
    "unacked_restore_interval": env_int("BROKER_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 90)
SCORING_QUEUE = env_str("SCORING_QUEUE", "scoring")
# Retraining the classifier runs for minutes to hours: on a queue of its own, taken by a worker that does
# nothing else (docker-compose.yml's "trainer"), so scoring never waits behind it.
TRAINING_QUEUE = env_str("TRAINING_QUEUE", "training")
# The jobs beat starts to keep the Hub tidy (the audit purge, retention, priorities, abandoned imports) take
# from minutes to an hour: on a queue of their own, with time limits of their own, taken by a worker of its own
# (docker-compose.yml's "housekeeper"), so they never hold a scoring process nor stop at scoring's limit.
HOUSEKEEPING_QUEUE = env_str("HOUSEKEEPING_QUEUE", "housekeeping")
# Every e-mail the Hub sends (notifications/tasks.py; password resets and invitations, hubsite/tasks.py): a queue
# of their own, which the scoring workers also take (docker-compose.yml's "worker"), so a message waits its turn
# beside a backlog of scoring, not behind all of it.
MAIL_QUEUE = env_str("MAIL_QUEUE", "mail")
CELERY_TASK_ROUTES = (
    {
        "triage.tasks.score_report": {"queue": SCORING_QUEUE},
        "triage.tasks.classifier_train": {"queue": TRAINING_QUEUE},
        "notifications.tasks.send_notification_email": {"queue": MAIL_QUEUE},
        "notifications.tasks.send_digest": {"queue": MAIL_QUEUE},
        # A password reset's and an invitation's mail: awaited by a person, beside the notifications.
        "hubsite.tasks.password_reset_mails": {"queue": MAIL_QUEUE},
        "hubsite.tasks.password_reset_mail": {"queue": MAIL_QUEUE},
        "hubsite.tasks.invitation_mail": {"queue": MAIL_QUEUE},
    },
    # Periodic jobs go to the queue they are declared with, beside their lock and time limits (hubsite/periodic.py).
    "hubsite.periodic.route_periodic_job",
)
CELERY_TASK_DEFAULT_QUEUE = SCORING_QUEUE
# A submission must never hang on a broker that is down: publishing gives up
# quickly and the periodic sweep queues the report again later.
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("CELERY_BROKER_CONNECTION_TIMEOUT", 2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Each task here is declared with periodic_job (hubsite/periodic.py): one run at a time, on the queue it names.
CELERY_BEAT_SCHEDULE = {
    "requeue-unscored-reports": {
        "task": "triage.tasks.requeue_unscored_reports",
        "schedule": timedelta(minutes=5),
    },
    # Cases rise as they age: their priorities are worked out again every few minutes.
    "refresh-priorities": {
        "task": "triage.tasks.refresh_priorities",
        "schedule": timedelta(minutes=env_int("PRIORITY_REFRESH_MINUTES", 10)),
    },
    "purge-audit-log": {"task": "hubsite.tasks.purge_audit_log", "schedule": timedelta(days=1)},
    "clear-expired-sessions": {"task": "hubsite.tasks.clear_expired_sessions", "schedule": timedelta(days=1)},
    "apply-retention": {"task": "triage.tasks.apply_retention", "schedule": timedelta(days=1)},
    "purge-abandoned-imports": {"task": "volunteers.tasks.purge_abandoned_imports", "schedule": timedelta(hours=1)},
    # Notifications (docs/notifications.md): the daily digest, each morning at NOTIFICATION_DIGEST_HOUR (UTC);
    # e-mails whose task never reached the broker; referrals overdue and platform clocks about to run out.
    "send-daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=env_int("NOTIFICATION_DIGEST_HOUR", 7), minute=0),
    },
    "send-left-behind-email": {"task": "notifications.tasks.send_left_behind_email", "schedule": timedelta(minutes=30)},
    "purge-old-notifications": {"task": "notifications.tasks.purge_old_notifications", "schedule": timedelta(days=1)},
    "remind-officers": {
        "task": "triage.tasks.remind_officers",
        "schedule": timedelta(minutes=env_int("REMINDER_SWEEP_MINUTES", 15)),
    },
}

# --- Scoring ------------------------------------------------------------------
MODEL_DIR = Path(env_str("MODEL_DIR", str(VAR_DIR / "models")))
# The public data sets (Davidson, Stormfront, ToxiGen) that training recipes and dev measures read;
# see docs/classifier.md. The shipped model needs none of them to run.
CLASSIFIER_DATA_DIR = Path(env_str("CLASSIFIER_DATA_DIR", str(BASE_DIR.parent / "shared" / "datasets")))
# A report still unscored this long after it was saved is queued again.
SCORING_REQUEUE_AFTER = timedelta(minutes=env_int("SCORING_REQUEUE_AFTER_MINUTES", 10))
# A worker scoring one report takes up to this many waiting reports with it, in one pass of the model.
SCORING_BATCH_SIZE = env_int("SCORING_BATCH_SIZE", 32)

# --- Triage -------------------------------------------------------------------
# Platforms committed to review valid notifications within this many hours.
PLATFORM_CLOCK_HOURS = env_int("PLATFORM_CLOCK_HOURS", 24)
# A referral not acknowledged by its force within this long shows as overdue.
REFERRAL_ACKNOWLEDGE_WITHIN = timedelta(days=env_int("REFERRAL_ACKNOWLEDGE_DAYS", 3))
# The queue's cases-per-status figures are kept this many seconds (a decision clears them at once).
QUEUE_COUNTS_SECONDS = env_int("QUEUE_COUNTS_SECONDS", 30)
# A reporter's track record counts their reports of this many days back.
TRACK_RECORD_WINDOW_DAYS = env_int("TRACK_RECORD_WINDOW_DAYS", 365)
# How a case's priority is made up: see triage/priority.py. Each weight is a number of points.
PRIORITY_WEIGHTS = {
    "score": env_float("PRIORITY_WEIGHT_SCORE", 50.0),  # times the classifier's score (0 to 1)
    "threat_of_violence": env_float("PRIORITY_WEIGHT_THREAT", 30.0),
    "target_is_child": env_float("PRIORITY_WEIGHT_CHILD", 30.0),
    "doxxing": env_float("PRIORITY_WEIGHT_DOXXING", 25.0),
    "incitement": env_float("PRIORITY_WEIGHT_INCITEMENT", 20.0),
    "targets_individual": env_float("PRIORITY_WEIGHT_INDIVIDUAL", 10.0),
    "per_extra_reporter": env_float("PRIORITY_WEIGHT_PER_REPORTER", 4.0),  # each reporter after the first
    "max_reporters": env_float("PRIORITY_WEIGHT_MAX_REPORTERS", 20.0),  # the reporters' points stop here
    "track_record": env_float("PRIORITY_WEIGHT_TRACK_RECORD", 10.0),  # times (agreement - 0.5) * 2
    "per_hour": env_float("PRIORITY_WEIGHT_PER_HOUR", 1.5),  # each hour the case has waited
    "clock_breached": env_float("PRIORITY_WEIGHT_CLOCK_BREACHED", 25.0),  # waited past the 24-hour clock
}

# --- Retention ------------------------------------------------------------------
# Days after a case closes before its reports' text, handle and screenshot are redacted (triage/retention.py).
RETENTION_DISMISSED_DAYS = env_int("RETENTION_DISMISSED_DAYS", 90)
RETENTION_PLATFORM_DAYS = env_int("RETENTION_PLATFORM_DAYS", 365)
RETENTION_REFERRED_DAYS = env_int("RETENTION_REFERRED_DAYS", 7 * 365)

# --- Notifications -------------------------------------------------------------
# Notifications older than this are removed by a daily job (docs/notifications.md).
NOTIFICATION_RETENTION = timedelta(days=env_int("NOTIFICATION_RETENTION_DAYS", 365))

# --- Audit log ----------------------------------------------------------------
# Entries older than this are removed by the daily purge (each purge is itself recorded).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 7 * 365)

# --- Volunteers ---------------------------------------------------------------
# Training records import and export as CSV in the admin, tied to the model's permissions. An upload waits
# between preview and confirmation in media storage, which every app server shares.
# From this many reports in a day, or in the last seven days, a volunteer's pages suggest a break (nothing is
# refused); admins see the same counts.
WELLBEING_DAILY_SOFT_LIMIT = env_int("WELLBEING_DAILY_SOFT_LIMIT", 20)
WELLBEING_WEEKLY_SOFT_LIMIT = env_int("WELLBEING_WEEKLY_SOFT_LIMIT", 80)
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# An uploaded file whose import is never confirmed is deleted after this many hours (volunteers.tasks).
IMPORT_UPLOAD_MAX_AGE = timedelta(hours=env_int("IMPORT_UPLOAD_MAX_AGE_HOURS", 24))

# --- Reports ------------------------------------------------------------------
REPORT_TEXT_MAX_LENGTH = env_int("REPORT_TEXT_MAX_LENGTH", 20_000)
SCREENSHOT_MAX_BYTES = env_int("SCREENSHOT_MAX_BYTES", 10 * 1024 * 1024)
# Decoding costs about 4 bytes a pixel several times over: 16 million pixels is a
# tall phone screenshot, and bounded memory per request.
SCREENSHOT_MAX_PIXELS = env_int("SCREENSHOT_MAX_PIXELS", 16_000_000)
# A volunteer may send at most this many reports in any hour.
REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail -------------------------------------------------------------------
# Under `make run` (DEBUG on) mail is printed to the console; deployed, it goes to the SMTP server named here.
# Links in e-mails are absolute: HUB_BASE_URL is the address people open the Hub at.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (port 465), not both.")
# A slow mail server holds a worker for at most this long; the sending task retries later.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "The Hub <hub@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Hub] "
HUB_BASE_URL = env_str("HUB_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Logging ------------------------------------------------------------------
# The DEBUG error page and error e-mails mask passwords inside URL-shaped settings and environment variables
# (DATABASE_URL, CACHE_URL, the broker's), as Django masks SECRET_KEY.
DEFAULT_EXCEPTION_REPORTER_FILTER = "hubsite.exception_reporting.CredentialsHidingFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
