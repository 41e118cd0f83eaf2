"""Settings for `make run` on a developer's machine, with fictional demo data only."""

import environ
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, env

# A .env file beside manage.py is read in development only; the variables set in the
# shell win. Tests and production never read it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# Development-only values: production refuses to start without its own (see production.py).
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and not env.list(
    "FIELD_ENCRYPTION_KEYS", default=[]
):
    # The default key below is public: real data on a real database must never use it.
    raise ImproperlyConfigured(
        "Development settings on a non-SQLite database need FIELD_ENCRYPTION_KEYS set; "
        "on a server, use DJANGO_SETTINGS_MODULE=rescue.settings.production."
    )
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcmVhbC0="]
)
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="dev-only-hash-key")
# Serve static files from the apps' folders, as production serves the collected copy.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Two-factor sign-in may be relaxed on a developer's machine only (a banner on every page
# says so); `OTP_REQUIRED=true make run` tries the real flow.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=False)
