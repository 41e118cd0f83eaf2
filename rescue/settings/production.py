"""Production settings: every secret comes from the environment and nothing has a default."""

import base64
import binascii

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEFAULT_ADMIN_URL, env


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value.strip():
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def _database(url: str) -> dict:
    # Production runs on PostgreSQL only: the ledger's and access log's triggers live there.
    config = env.db_url_config(url)
    if config.get("ENGINE") != "django.db.backends.postgresql" or not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL with a database name.")
    return config


def _fernet_keys(raw: str) -> list[str]:
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            decoded = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {position} is not url-safe base64."
            ) from exc
        if len(decoded) != 32:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {position} must decode to 32 bytes "
                "(make one with `python manage.py generate_field_key`)."
            )
    return keys


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
ALLOWED_HOSTS = [host.strip() for host in _required("ALLOWED_HOSTS").split(",") if host.strip()]
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the app's hosts, not '*'.")
DATABASES = {"default": _database(_required("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
FIELD_ENCRYPTION_KEYS = _fernet_keys(_required("FIELD_ENCRYPTION_KEYS"))
FIELD_HASH_KEY = _required("FIELD_HASH_KEY")
if len(FIELD_HASH_KEY) < 32:
    raise ImproperlyConfigured("FIELD_HASH_KEY must be at least 32 characters long.")
# The admin's path is part of its defence: the published default or /admin/ is refused.
ADMIN_URL = _required("ADMIN_URL").strip().strip("/") + "/"
if ADMIN_URL in {DEFAULT_ADMIN_URL, "admin/", "/"}:
    raise ImproperlyConfigured(
        "ADMIN_URL must be a path of your own, not the default 'site-admin/' or 'admin/'."
    )

# Two-factor sign-in is not a choice in production: no variable turns it off.
OTP_REQUIRED = True

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", default=True)
SERVER_EMAIL = env.str("SERVER_EMAIL", default="rescue-app@localhost")
ADMINS = [("Administrator", addr) for addr in env.list("ADMIN_EMAILS", default=[])]
