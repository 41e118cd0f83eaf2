"""Settings shared by every environment; each environment module imports these."""

import importlib.util
import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False

INSTALLED_APPS = [
    # The admin with a site class that needs a two-factor-verified administrator.
    "rescue.admin_apps.RescueAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "cases",
    "funds",
    "rescue",
]

MIDDLEWARE = [
    # Header middleware first (outermost), so that every response carries the headers
    # SECURITY.md promises: static files (whitenoise answers before anything below runs),
    # the HTTP->HTTPS redirect (SecurityMiddleware) and the 400 for a bad Host included.
    "rescue.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "rescue.middleware.StripControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rescue.middleware.SessionLifetimeMiddleware",
    "rescue.middleware.RequireTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees (and can refuse) a sign-in before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rescue.urls"
WSGI_APPLICATION = "rescue.wsgi.application"

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
                "rescue.context_processors.navigation",
                "funds.context_processors.readiness",
                "rescue.context_processors.two_factor",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# DATABASES is set by each environment's module: SQLite by default in development and
# tests, PostgreSQL (required) in production.
# PostgreSQL: the role the app connects as in production, which owns nothing. `migrate`,
# run with the owner's DATABASE_URL, grants it its privileges (rescue/db_roles.py).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Identifying fields are encrypted with keys of their own, never SECRET_KEY.
# The first key encrypts; all of them decrypt, so a new key can be put first and
# `manage.py reencrypt_fields` run to retire the old ones.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# Keyed hashes (for finding duplicate contact handles without decrypting) use their own key.
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="")
# dumpdata and loaddata write encrypted fields as their ciphertext (rescue/serializers),
# in every format Django offers here (yaml only when PyYAML is installed).
SERIALIZATION_MODULES = {
    fmt: f"rescue.serializers.{fmt}"
    for fmt in ("python", "json", "jsonl", "xml", "yaml")
    if fmt != "yaml" or importlib.util.find_spec("yaml") is not None
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Administrators manage users, devices, lockouts and settings in the admin.
    "rescue.backends.AdministrationBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: every request pushes expiry 30 minutes on
# Absolute timeout: a session ends this long after sign-in, however busy it is.
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "sessionid"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: under no-referrer browsers send "Origin: null" and no Referer
# with a form POST, and Django's CSRF check then refuses every form, sign-in included.
# same-origin still sends nothing to any other host.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="rescue-app@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "rescue.logging.RedactIdentifyingData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        },
        # Error e-mails to ADMINS (ADMIN_EMAILS in production): redacted, no request, no locals.
        "mail_admins": {
            "()": "rescue.logging.RedactedAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Replaces Django's default handlers for its own loggers (an unredacted console
        # handler and the stock AdminEmailHandler, which mails POST data and locals).
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        "django.security": {
            "handlers": ["console", "mail_admins"],
            "level": "WARNING",
            "propagate": False,
        },
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The Django admin is not at /admin/: scanners look there first. Production refuses the
# default (and /admin/) and needs a path of its own (rescue/settings/production.py).
DEFAULT_ADMIN_URL = "site-admin/"
ADMIN_URL = env.str("ADMIN_URL", default=DEFAULT_ADMIN_URL).strip("/") + "/"

# Two-factor sign-in (django-otp, TOTP). Every environment requires it except
# development, which may relax it (with a banner on every page); production forces it.
OTP_REQUIRED = True
OTP_TOTP_ISSUER = "Rescue cases"
# How long a password + code re-authentication lets a user do sensitive things.
REAUTH_MAX_AGE = 5 * 60
# Wrong codes (second step or re-authentication) a session may send before it is ended.
OTP_SESSION_FAILURE_LIMIT = 5

# Lockout (django-axes): by username, so a known and an unknown username lock the same
# way, and by address plus browser, which stops one machine spraying many usernames
# without locking a whole office behind one address. An administrator unlocks early
# (admin "Access attempts", or `manage.py axes_reset_username NAME`).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
# And by address alone, at a higher limit (an office shares one address), so that changing
# the User-Agent does not buy a fresh set of tries (rescue/lockout.py).
AXES_HANDLER = "rescue.lockout.AddressLimitHandler"
AXES_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rescue.accounts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "rescue.audit.client_ip"
# Addresses of the reverse proxies in front of the app (e.g. 127.0.0.1 when nginx runs on
# the same host): only from them is X-Forwarded-For believed. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = [
    str(ipaddress.ip_address(address.strip()))
    for address in env.list("TRUSTED_PROXIES", default=[])
]
# Axes logs usernames and addresses at INFO when verbose; the access log records those.
AXES_VERBOSE = False
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 100
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]

# Content-Security-Policy (django-csp 4): nothing but this host; inline scripts only with
# the per-response nonce (`{{ CSP_NONCE }}`); Bootstrap's CSS icons are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}
