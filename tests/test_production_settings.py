"""Production settings refuse to start without their secrets and pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent

REALISTIC = {
    "DJANGO_SETTINGS_MODULE": "rescue.settings.production",
    "SECRET_KEY": "k" * 20 + "-realistic-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "cases.example.org",
    "DATABASE_URL": "postgres://rescue@127.0.0.1:5432/rescue",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "FIELD_HASH_KEY": "h" * 40,
    "ADMIN_URL": "staff-only-7f3a/",
}


def _manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in REALISTIC}
    env.update(REALISTIC)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_passes_with_realistic_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "FIELD_ENCRYPTION_KEYS",
        "FIELD_HASH_KEY",
        "ADMIN_URL",
    ],
)
def test_it_refuses_to_start_without(missing):
    result = _manage("check", **{missing: None})
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", "too-short", "at least 50 characters"),
        ("ALLOWED_HOSTS", "*", "not '*'"),
        ("DATABASE_URL", "sqlite:////tmp/db.sqlite3", "postgres:// URL"),
        ("DATABASE_URL", "not a url", "postgres:// URL"),
        ("FIELD_ENCRYPTION_KEYS", "not-a-fernet-key", "key 1"),
        ("FIELD_HASH_KEY", "short", "at least 32 characters"),
        ("SECURE_SSL_REDIRECT", "maybe", "true or false"),
        ("ADMIN_URL", "site-admin/", "not the default"),
        ("ADMIN_URL", "/site-admin", "not the default"),
        ("ADMIN_URL", "admin/", "not the default"),
    ],
)
def test_it_fails_loudly_on_a_malformed(name, value, message):
    result = _manage("check", **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_cookies_are_secure_httponly_and_lax():
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DEBUG)"
    )
    result = _manage("shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax", "True", "31536000", "False"]


def test_development_settings_refuse_a_real_database_with_the_public_dev_key():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="rescue.settings.development",
        FIELD_ENCRYPTION_KEYS=None,
        DATABASE_URL="postgres://rescue@127.0.0.1:5432/rescue",
    )
    assert result.returncode != 0
    assert "need FIELD_ENCRYPTION_KEYS set" in result.stderr
