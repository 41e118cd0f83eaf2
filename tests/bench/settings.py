"""Benchmark settings: the test settings plus a reference changelist beside the app's URLs."""

from rescue.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
