"""Security headers on every URL of the app, and no page that refers to another host."""

import re

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import include, path

from tests.test_production_settings import _manage
from tests.urlsweep import all_urls

# src=, href=, action=, srcset= or a CSS url() whose target names a host: scheme-relative
# (//host) or with a scheme. Relative and same-origin paths are fine.
OTHER_HOST = re.compile(
    r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?|url\(\s*["']?)"""
    r"""\s*(?:[a-z][a-z0-9+.-]*:)?//""",
    re.IGNORECASE,
)


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _check_headers(response, url: str) -> None:
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"], url
    assert csp["object-src"] == ["'none'"], url
    assert csp["base-uri"] == ["'none'"], url
    assert csp["frame-ancestors"] == ["'none'"], url
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    assert "no-store" in response["Cache-Control"], url


def _responses(client, url):
    """The response to GET url and every redirect after it."""
    response = client.get(url)
    chain = [response]
    for _ in range(5):
        if response.status_code not in {301, 302, 303, 307, 308}:
            break
        response = client.get(response["Location"])
        chain.append(response)
    return chain


@pytest.mark.django_db
def test_every_url_carries_the_security_headers_for_a_signed_in_administrator(
    client_for, admin_user
):
    client = client_for(admin_user)
    checked = 0
    for swept in all_urls():
        if swept.name in {"logout"}:
            continue
        for response in _responses(client, swept.url):
            _check_headers(response, swept.url)
            checked += 1
    assert checked >= len(all_urls()) - 1


@pytest.mark.django_db
def test_the_sign_in_page_carries_them_too(client):
    _check_headers(client.get("/accounts/login/"), "/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin", "coordinator", "intake", "treasurer", "board"])
def test_no_rendered_page_refers_to_another_host(personas, client_for, persona):
    client = client_for(personas[persona])
    for swept in all_urls():
        if swept.name == "logout":
            continue
        for response in _responses(client, swept.url):
            if "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            found = OTHER_HOST.search(html)
            assert found is None, (swept.url, html[found.start() - 80 : found.end() + 80])


def test_the_other_host_pattern_catches_what_it_should():
    assert OTHER_HOST.search('<script src="https://cdn.example.com/x.js">')
    assert OTHER_HOST.search("<img src=//tracker.example/p.gif>")
    assert OTHER_HOST.search("background: url('https://fonts.example/f.woff')")
    assert not OTHER_HOST.search('<a href="/cases/">')
    assert not OTHER_HOST.search('<link href="/static/app.css">')


def _inline_script(request):
    template = engines["django"].from_string("<script nonce='{{ CSP_NONCE }}'>1</script>")
    return HttpResponse(template.render({}, request))


urlpatterns = [path("inline/", _inline_script), path("", include("rescue.urls"))]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_inline_script_runs_only_with_the_nonce_of_its_own_response(client_for, intake):
    client = client_for(intake)
    first, second = client.get("/inline/"), client.get("/inline/")
    nonces = [re.search(r"nonce='([^']+)'", r.content.decode()).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    assert f"'nonce-{nonces[0]}'" in _csp(first)["script-src"]
    assert f"'nonce-{nonces[0]}'" not in _csp(second)["script-src"]


def test_production_sends_hsts_for_a_year_and_forces_two_factor_even_if_asked_not_to():
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.OTP_REQUIRED)"
    )
    result = _manage("shell", "--no-imports", "-c", script, OTP_REQUIRED="false")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True"]
