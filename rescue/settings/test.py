"""Settings for the test suite (`make test`); DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# A fixed key is fine here: it signs nothing outside a test run (ruff S105, bandit B105).
SECRET_KEY = "test-only-secret-key"  # noqa: S105  # nosec B105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
FIELD_ENCRYPTION_KEYS = [
    "dGVzdC1vbmx5LWZpZWxkLWtleS0wMDAwMDAwMDAwMDA=",
    "b2xkZXItdGVzdC1maWVsZC1rZXktMDAwMDAwMDAwMDA=",
]
FIELD_HASH_KEY = "test-only-hash-key"
# Hashing with Argon2 is deliberately slow; tests that need the real hasher override this.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or "sqlite:///:memory:")
}
# Serve static files from the apps' folders, as production serves the collected copy.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
