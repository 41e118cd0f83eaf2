"""The client's address for the access log and the lockout, behind a trusted proxy or not."""

import pytest
from django.test import RequestFactory, override_settings

from rescue.audit import client_ip


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored():
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_trusted_proxy_the_client_is_the_address_it_forwarded():
    assert client_ip(_request("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_addresses_the_client_made_up_are_passed_over():
    # The client sent "X-Forwarded-For: 10.0.0.1"; the proxy appended the real address.
    assert client_ip(_request("127.0.0.1", "10.0.0.1, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_request_not_from_the_proxy_cannot_claim_another_address():
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
@pytest.mark.parametrize("forwarded", ["not-an-address", "", "127.0.0.1"])
def test_a_garbled_or_empty_forward_falls_back_to_the_proxy(forwarded):
    assert client_ip(_request("127.0.0.1", forwarded)) == "127.0.0.1"
