"""No identifying input leaves its value in the browser's autofill store.

Chromium ignores `autocomplete="off"` on a `<form>` but honours it on each field, so
every identifying input of every form a role is offered carries it itself. The
browser test (tests/browser/test_autofill.py) shows the store empty after sign-out.
"""

from html.parser import HTMLParser

import pytest
from django.conf import settings

from tests.security.canary import seed_case, urls_for_case
from tests.signin import sign_in_verified

# The names the app's forms give identifying inputs: alias, legal name, contact handle,
# region or location, notes, screening answers, and the ledger's payee and memo.
IDENTIFYING_INPUTS = {
    "alias",
    "legal_name",
    "contact_handle",
    "current_region",
    "current_location",
    "location",
    "notes",
    "note",
    "reason",
    "reason_for_leaving",
    "birthplace_knowledge",
    "address_knowledge",
    "daily_life_knowledge",
    "vouched_by",
    "payee",
    "memo",
    "override_reason",
}
TEXT_TYPES = {None, "text", "search", "email", "tel", "url"}


class _Inputs(HTMLParser):
    """Every text input and text area on a page: (name, its attributes)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if not name:
            return
        if (tag == "input" and attributes.get("type") in TEXT_TYPES) or tag == "textarea":
            self.found.append((name, attributes))


def _inputs(html: str) -> list[tuple[str, dict]]:
    parser = _Inputs()
    parser.feed(html)
    return parser.found


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "coordinator", "treasurer", "admin", "board"])
def test_every_identifying_input_a_role_is_offered_turns_autofill_off(client, personas, persona):
    user = personas[persona]
    canary = seed_case(created_by=personas["intake"], by=personas["intake"])
    sign_in_verified(client, user)
    seen: set[str] = set()
    missing: list[str] = []
    for url in urls_for_case(canary):
        if url.startswith("/" + settings.ADMIN_URL) or url == "/accounts/logout/":
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for full_name, attributes in _inputs(response.content.decode()):
            # A formset's row is named like "people-0-alias".
            name = full_name.rsplit("-", 1)[-1]
            if name in IDENTIFYING_INPUTS:
                seen.add(name)
                if attributes.get("autocomplete") != "off":
                    missing.append(f"{url} {name}")
    assert missing == []
    offered = {
        # What each role must at least have been offered, so the walk cannot pass empty.
        "intake": {"alias", "legal_name", "contact_handle", "current_region", "notes"},
        "coordinator": {"alias", "contact_handle", "reason_for_leaving", "vouched_by", "note"},
        "treasurer": {"payee", "memo", "override_reason"},
        "admin": {"alias", "notes", "reason_for_leaving"},
        "board": set(),
    }[persona]
    assert offered <= seen, offered - seen


def test_a_form_of_the_app_turns_autofill_off_on_every_text_field():
    from cases.forms import CaseCreateForm, ScreeningForm
    from funds.forms import ExpenseForm

    for form in (CaseCreateForm(), ScreeningForm(), ExpenseForm(user=None)):
        for name, field in form.fields.items():
            if name in IDENTIFYING_INPUTS:
                assert field.widget.attrs.get("autocomplete") == "off", name
