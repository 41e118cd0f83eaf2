"""Fuzzing every POST form (sign-in, and each form a signed-in role is offered): never a 500.

The harness finds forms by GETting every URL of the app (with real case and person
ids, as the canary does) as each role and parsing the POST forms on the pages that
answer 200, so the forms of the cases and funds apps are fuzzed as soon as they exist.
The test client re-raises a view's exception, so a 500 fails with its traceback.
"""

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.security.canary import seed_case, urls_for_case
from tests.security.forms import post_forms
from tests.signin import sign_in_verified

# Posting these ends the session the harness is using; their behaviour is tested elsewhere.
SKIPPED_ACTIONS = ("/accounts/logout/",)
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "2026-02-30",
    "00000000-0000-4000-8000-000000000000",
    "not-a-uuid",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n%x",
    "../../etc/passwd",
    "\u202e\u0000\ud7ff",
    "\uff57\uff49\uff44\uff45\u3000\uff54\uff45\uff58\uff54",
    "x" * 5000,
]
EXAMPLES = 25


def _values(good: list[str]):
    return st.one_of(
        st.sampled_from(good) if good else st.nothing(),
        st.sampled_from(NASTY),
        st.text(max_size=200),
    )


def _payload(fields: dict[str, list[str]]):
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(_values(good), st.lists(_values(good), max_size=3))
            for name, good in fields.items()
        },
    )


FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "username": st.one_of(st.sampled_from(NASTY), st.text(max_size=200)),
            "password": st.one_of(st.sampled_from(NASTY), st.text(max_size=200)),
        },
    )
)
def test_the_sign_in_form_never_answers_500(client, data):
    assert client.post("/accounts/login/", data).status_code in {200, 302, 429}


def _offered_forms(client, urls):
    forms = {}
    for url in urls:
        if url.startswith("/" + settings.ADMIN_URL):
            continue  # Django's own admin forms; the app's forms are what is fuzzed
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in post_forms(response.content.decode(), url):
            if not form.action.startswith(SKIPPED_ACTIONS):
                forms.setdefault(form.action, form)
    return list(forms.values())


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "coordinator", "treasurer", "admin", "board"])
def test_no_form_a_role_is_offered_answers_500(client, personas, persona):
    user = personas[persona]
    canary = seed_case(created_by=personas["intake"], by=personas["intake"])
    sign_in_verified(client, user)
    forms = _offered_forms(client, urls_for_case(canary))
    # Every role is offered at least these; the cases and funds forms add to the list.
    assert {"/accounts/password/", "/accounts/reauthenticate/"} <= {f.action for f in forms}

    for form in forms:
        _fuzz_form(client, user, form)


def _fuzz_form(client, user, form):
    @FUZZ
    @given(data=_payload(form.fields))
    def post_it(data):
        sign_in_verified(client, user)
        response = client.post(form.action, data)
        assert response.status_code < 500, (form.action, data)

    post_it()
