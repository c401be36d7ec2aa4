"""Settings for the Đồng Nguyên child-labour case-management system.

All configuration comes from the environment, read here and only here (see dongnguyen/env.py).
Defaults give a working first run: SQLite, no Redis (background jobs run in-process).
"""

import ipaddress
import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import (
    env_bool,
    env_broker,
    env_database,
    env_day_month,
    env_fernet_key,
    env_int,
    env_list,
    env_path,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
TESTING = bool(os.environ.get("PYTEST_VERSION"))  # pytest >= 8.2 sets it for its run

# A local .env (written by `make run`, never committed) fills in what the real environment
# leaves unset; the real environment always wins.
# The test suite ignores it, so tests behave the same on every machine.
_read_dot_env = os.environ.get("DJANGO_READ_DOT_ENV", "1") != "0" and not TESTING
if (BASE_DIR / ".env").is_file() and _read_dot_env:
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env_bool("DEBUG", False)
# With DEBUG the demo still shows the ward's own 404 and 500 pages; 1 shows Django's.
DEBUG_ERROR_PAGES = env_bool("DEBUG_ERROR_PAGES", False)

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    # The test suite needs no secret of its own.
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, or DEBUG=1 for a "
            "local development run."
        )
    SECRET_KEY = _DEV_SECRET
elif len(SECRET_KEY) < 50 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The ward this deployment serves (one ward per deployment; see README "Scale path").
WARD_NAME = env_str("WARD_NAME", "Đồng Nguyên")
WARD_CODE = env_str("WARD_CODE", "09385")
PROVINCE_NAME = env_str("PROVINCE_NAME", "Bắc Ninh")
WARD_PLAN_NUMBER = env_str("WARD_PLAN_NUMBER", "143/KH-UBND")
SIGNER_NAME = env_str("SIGNER_NAME", "Nguyễn Văn Hùng")
SIGNER_TITLE = env_str("SIGNER_TITLE", "PHÓ CHỦ TỊCH")
SIGNER_PREFIX = env_str("SIGNER_PREFIX", "KT. CHỦ TỊCH")
# The province office that issues the consolidated province report (issue 12.4).
PROVINCE_OFFICE_NAME = env_str("PROVINCE_OFFICE_NAME", "Sở Y tế")
PROVINCE_REPORT_NUMBER_SUFFIX = env_str("PROVINCE_REPORT_NUMBER_SUFFIX", "BC-SYT")
PROVINCE_SIGNER_NAME = env_str("PROVINCE_SIGNER_NAME", "")
PROVINCE_SIGNER_TITLE = env_str("PROVINCE_SIGNER_TITLE", "PHÓ GIÁM ĐỐC")
PROVINCE_SIGNER_PREFIX = env_str("PROVINCE_SIGNER_PREFIX", "KT. GIÁM ĐỐC")
# (month, day) each periodic report falls due in its year (reports/kpis.py, KPI K13).
REPORT_DUE_DATES = {
    "semiannual": env_day_month("REPORT_DUE_SEMIANNUAL", (6, 20)),
    "annual": env_day_month("REPORT_DUE_ANNUAL", (12, 20)),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "import_export",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "dongnguyen",
    "households",
    "children",
    "inspections",
    "outreach",
    "schools",
    "funding",
    "coordination",
    "reports",
    "imports",
    "notifications",
    "portal",
    "api",
]
# Apps whose writes the core announces (dongnguyen/events.py): KPIs and, later, reminders
# listen. A new domain app joins here.
EVENT_APPS = ("households", "children", "inspections", "outreach", "schools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dongnguyen.middleware.WardLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dongnguyen.middleware.AnonymousBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Two-factor sign-in: which device verified the session, and mandatory enrolment.
    "django_otp.middleware.OTPMiddleware",
    "dongnguyen.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "dongnguyen.middleware.ProductErrorPagesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "dongnguyen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.ward",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections on PostgreSQL: a new connection per request cost 3.6 ms to open, and
# the new server process then planned each statement with cold catalog caches (the home page's
# inspection count: 1.4 ms to plan, 0.24 ms on a warm connection). Through gunicorn at 100×,
# every page was 5–10 ms faster at p50 with 60 s than with 0 (bench/README.md, 2026-12-03). Each
# gunicorn thread and Celery process keeps one connection: workers × threads per web server.
_is_postgres = DATABASES["default"]["ENGINE"].endswith("postgresql")
DATABASES["default"]["CONN_MAX_AGE"] = env_int(
    "DB_CONN_MAX_AGE", 60 if _is_postgres else 0, minimum=0
)
# A connection the server closed (restart, failover, idle timeout) is replaced before the
# request uses it instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Background jobs and the web process may write at once; wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # The covering indexes (INCLUDE) are PostgreSQL's; SQLite builds them without the extra
    # columns, which is all a demo or a laptop needs: no English warning at every command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if _is_postgres:
    # No JIT: on the KPI statement (13 KPIs × groups in one aggregate) PostgreSQL's JIT spent
    # 9.6 s compiling a query that runs in 0.16 s without it, as soon as the tables had
    # statistics (measured, bench/README.md). The app's queries are short; JIT never pays.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # No server-side cursors: a form's choice list (ModelChoiceField iterates with .iterator())
    # became DECLARE … WITH HOLD + FETCH + CLOSE, 4–5 ms each at 99 wards against under 1 ms for
    # a plain SELECT; the largest iterated read (a ward's export, ≈ 12,000 rows) fits in memory.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A PostgreSQL streaming replica for reads that tolerate a few seconds' lag (dashboards, KPIs,
# reports, exports): dongnguyen/db_router.py. Writes and read-after-write stay on the primary.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
        DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Tests: the standby's copy of the primary's test database (same name, replicated there).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["dongnguyen.db_router.ReplicaRouter"]
# Tests turn replica reads off except in the tests about the replica (conftest.py): a test
# that reads right after its own commit must not race the replication.
REPLICA_READS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dongnguyen.login_limits.UsernameLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lock-out by (username, address): five wrong passwords from one address lock that
# address out for that username, not the officer at their own desk. The slower per-username
# limit for guesses spread over many addresses: dongnguyen/login_limits.py.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "dongnguyen.limits.client_ip"
LOGIN_USERNAME_FAILURES_PER_HOUR = env_int("LOGIN_USERNAME_FAILURES_PER_HOUR", 20, minimum=1)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", 30, minimum=1)
# Two-factor sign-in (dongnguyen/two_factor.py): optional for everyone, mandatory for the
# roles named here (e.g. "leadership,case_officer"); empty by default, so the demo users sign
# in with a password alone.
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", [])
# (Checked against the roles at start-up: DongnguyenConfig.ready.)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", f"Phường {WARD_NAME}")
# The admin's TOTP device pages show no secret key or QR code: the admin only resets devices.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
# Each language is named in itself, whatever the interface language.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Numbers are grouped where they are amounts (|intcomma: 1.234.567 đồng), never by default:
# automatic grouping also turns years into "2.026" and ids in links into "1.234".
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["dongnguyen.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", BASE_DIR / "media")
# `manage.py backup` encrypts with this Fernet key when it is set; restore needs the same key.
BACKUP_ENCRYPTION_KEY = env_fernet_key("BACKUP_ENCRYPTION_KEY")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The non-file part of any request (Django's default): the longest form, a report text, is far
# smaller. Uploaded files are limited by ATTACHMENT_MAX_BYTES and the import limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440

# Django's form renderer with its select widget written in Python (same characters, a tenth of
# the time): dongnguyen/renderers.py.
FORM_RENDERER = "dongnguyen.renderers.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background jobs. With no broker, tasks run eagerly in-process (first run needs no Redis).
CELERY_BROKER_URL = env_broker("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
)
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task gets the task redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
# Redis redelivers a task whose worker died (acks_late) once this many seconds have passed
# since it was taken; it must exceed the longest task. The fault test sets a few seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "nightly-kpi-snapshots": {
        "task": "reports.tasks.snapshot_current_periods",
        "schedule": crontab(hour=1, minute=30),
    },
    # Reminders (notifications/): one idempotent pass every 15 minutes; the 07:00 pass also
    # sends the daily digests.
    "reminders-every-15-minutes": {
        "task": "notifications.send_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Early warning of dropping out (schools/): the previous month's attendance, every morning,
    # for records entered or imported without a pass (safe to run twice).
    "early-warning-daily": {
        "task": "schools.tasks.evaluate_warnings",
        "schedule": crontab(hour=6, minute=0),
    },
}

# Email (notifications). EMAIL_URL (smtp://user:pass@host:587, +tls) or the EMAIL_* variables;
# with neither, `make run` (DEBUG=1) prints emails on the console.
_email_url = env_str("EMAIL_URL")
if _email_url:
    globals().update(environ.Env.email_url_config(_email_url))
else:
    EMAIL_HOST = env_str("EMAIL_HOST", "")
    EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
        "django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST or not DEBUG
        else "django.core.mail.backends.console.EmailBackend"
    )
if env_str("EMAIL_BACKEND"):  # also beside EMAIL_URL, e.g. a provider's API backend
    EMAIL_BACKEND = env_str("EMAIL_BACKEND")
# An email provider through django-anymail: EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend
# and its ANYMAIL_<ESP>_... settings (API key, sender domain) as environment variables.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value.strip()
}
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Phường Đồng Nguyên <no-reply@dongnguyen.example>"
)
# Links in emails and SMS start with this address.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# SMS / Zalo: a class with send(phone, text); the default only logs.
NOTIFICATIONS_SMS_BACKEND = env_str(
    "NOTIFICATIONS_SMS_BACKEND", "notifications.channels.LogBackend"
)
NOTIFICATIONS_ZALO_BACKEND = env_str(
    "NOTIFICATIONS_ZALO_BACKEND", "notifications.channels.LogBackend"
)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rate limits, used form tokens and login counters must be shared by every worker and
    # survive a restart: never process memory. Without Redis, a table (`manage.py
    # createcachetable`, run by `make migrate`/`make run` and docker-compose).
    "limits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dongnguyen_limits",
        # Django culls a third of the table past 300 rows: a flood of new addresses would then
        # wipe the used-token marks and let a token be replayed. Expired rows go on culls.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
}
if env_str("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL"),
        },
        "limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL"),
            "KEY_PREFIX": "limits",
        },
    }
# django-ratelimit (used as a library, dongnguyen/limits.py, not as an installed app: its
# system check knows neither Django's own RedisCache, which increments atomically, nor that
# the database fallback may undercount a few concurrent posts, which is acceptable there).
RATELIMIT_USE_CACHE = "limits"
# The client address comes from X-Forwarded-For only when the request arrives from one of
# these proxies (addresses or networks, e.g. "172.16.0.0/12" for docker-compose's proxy);
# empty: REMOTE_ADDR, whatever the headers say.
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS", [])
for _proxy in TRUSTED_PROXY_IPS:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_IPS: {_proxy!r} is not an IP address or network."
        ) from None

# Security. `manage.py check --deploy` is clean with DEBUG=0 and a real SECRET_KEY.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # The test client speaks plain HTTP; production redirects to HTTPS.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not TESTING)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Days a phone keeps its offline copy of the collaborator's groups without reaching the server.
OFFLINE_MAX_DAYS = env_int("OFFLINE_MAX_DAYS", 7, minimum=1)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # No inline style or script anywhere: styles live in static/css (tests/test_csp.py).
        # Bootstrap and Chart.js set styles through the CSSOM, which CSP does not restrict.
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Limits on uploaded attachments (case files, child files).
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Public tip form: submissions allowed per client address per hour, and from everyone
# together (far higher: posts refused by the per-address limit do not count towards it, so a
# flood from one address never closes the form for the rest of the ward).
PUBLIC_TIP_RATE_PER_HOUR = env_int("PUBLIC_TIP_RATE_PER_HOUR", 5, minimum=1)
PUBLIC_TIP_GLOBAL_PER_HOUR = env_int("PUBLIC_TIP_GLOBAL_PER_HOUR", 300, minimum=1)
# Public status look-ups by receipt code, per client address per hour.
PUBLIC_STATUS_RATE_PER_HOUR = env_int("PUBLIC_STATUS_RATE_PER_HOUR", 30, minimum=1)
# The largest request body an anonymous client may send (the tip form, the login page);
# larger ones are answered 413 before anything parses them.
ANONYMOUS_MAX_BODY_BYTES = env_int("ANONYMOUS_MAX_BODY_BYTES", 64 * 1024, minimum=4096)
# An import queued or running longer than this is taken as stuck (its worker died): the
# officer may retry it.
IMPORT_STALE_MINUTES = env_int("IMPORT_STALE_MINUTES", 30, minimum=1)
# Limits of one imported file, checked before it is parsed (imports/readers.py): its size
# once unpacked, the compression ratio of each big part of an .xlsx (a zip bomb), rows, cells.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 30, minimum=1)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 150, minimum=1)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100, minimum=2)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=10)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 2_000_000, minimum=100)

# The REST API (api/, DESIGN.md "API"): personal tokens or the browser's session, throttled per
# token, paged like the lists, documented by drf-spectacular from vendored Swagger UI files.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
API_RATE_PER_HOUR = env_int("API_RATE_PER_HOUR", 2000, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đồng Nguyên — API v1",
    "DESCRIPTION": "Cùng phạm vi, cùng quy tắc và cùng nhật ký truy cập như các trang web.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs for signed-in users (session or token), like every page.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets named "channel" (a tip's, an awareness session's).
    "ENUM_NAME_OVERRIDES": {
        "IntakeChannelEnum": "children.models.intake.IntakeChannel",
        "SessionChannelEnum": "outreach.models.Channel",
        "SupportKindEnum": "children.models.cases.SupportKind",
        "InspectionKindEnum": "inspections.models.Inspection.Kind",
        "ViolationStatusEnum": "inspections.models.Violation.Status",
        "RiskLevelEnum": "children.models.cases.Case.RiskLevel",  # = an assessment item's
        "ScreeningOutcomeEnum": "children.models.work.Screening.Outcome",
        "ClosureOutcomeEnum": "children.models.cases.Case.ClosureOutcome",
        "CostSourceEnum": "funding.models.Source",
    },
}

# Argon2id sized for a 2-core server; older hashes upgrade at sign-in (dongnguyen/hashers.py).
PASSWORD_HASHERS = [
    "dongnguyen.hashers.Argon2idHasher",
    # Hashes made before (Django's defaults) still check, and are upgraded on sign-in.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS  # tests of the production hashing use it
if TESTING:
    # Fast hashing keeps the persona-heavy suite quick; production uses dongnguyen/hashers.py.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
