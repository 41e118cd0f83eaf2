"""dumpdata writes encrypted fields as ciphertext; loaddata reads them back (same keys)."""

import io
import json

import pytest
from django.core import serializers
from django.core.management import call_command
from django.test import override_settings

from cases.models import Case, Person
from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db

ALIAS = "Kim Sun-hee CANARYdump"
REGION = "Yanji CANARYdump"


@pytest.fixture
def person():
    case = CaseFactory(current_region=REGION, notes="safe house CANARYdump")
    return PersonFactory(case=case, alias=ALIAS, legal_name="Kim CANARYdump")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "xml", "python"])
def test_a_dump_holds_ciphertext_and_reads_back_to_the_same_text(person, fmt):
    objects = [person.case, person]
    if fmt == "python":
        dumped = serializers.serialize("python", objects)
        text = repr(dumped)
        loaded = list(serializers.deserialize("python", dumped))
    else:
        text = serializers.serialize(fmt, objects)
        loaded = list(serializers.deserialize(fmt, text))
    assert "CANARYdump" not in text
    assert "gAAAAA" in text
    case, again = (item.object for item in loaded)
    assert (again.alias, again.legal_name) == (ALIAS, "Kim CANARYdump")
    assert case.current_region == REGION


def test_dumpdata_and_loaddata_round_trip(person, tmp_path):
    out = io.StringIO()
    call_command("dumpdata", "cases.person", format="json", stdout=out)
    assert "CANARYdump" not in out.getvalue()
    rows = json.loads(out.getvalue())
    assert rows[0]["fields"]["alias"].startswith("gAAAAA")
    path = tmp_path / "people.json"
    path.write_text(out.getvalue())
    Person.objects.all().delete()
    call_command("loaddata", str(path), stdout=io.StringIO())
    assert Person.objects.get(pk=person.pk).alias == ALIAS
    # Stored once, not the dumped token encrypted again.
    assert Case.objects.get(pk=person.case_id).current_region == REGION


def test_a_dump_made_with_other_keys_refuses_to_load(person, tmp_path):
    out = io.StringIO()
    call_command("dumpdata", "cases.person", format="json", stdout=out)
    path = tmp_path / "people.json"
    path.write_text(out.getvalue())
    Person.objects.all().delete()
    other = "c29tZS1vdGhlci1rZXktMDAwMDAwMDAwMDAwMDAwMDA="
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[other]),
        pytest.raises(Exception, match="decrypt"),
    ):
        call_command("loaddata", str(path), stdout=io.StringIO())
    assert not Person.objects.exists()
