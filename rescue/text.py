"""Text as it enters the app: C0 control characters removed at every entrance.

A control character typed or pasted into a field (or found in an imported file) has
no meaning in an alias or a note, and breaks what reads it later: an XLSX export
refuses it, a CSV or a log line can be split by it. Forms (`rescue.forms`), every
POST body (`rescue.middleware.StripControlCharactersMiddleware`) and the importers
(`clean_text`) remove them before anything is validated or stored. Tab, line feed
and carriage return stay: they are how text areas break lines.
"""

import re
from collections.abc import Mapping

from django.http import QueryDict

# C0 controls except \t \n \r, and DEL: exactly what XML 1.0 (and so XLSX) cannot hold,
# plus DEL, which no one means to type.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """The value without C0 control characters (other than tab and line breaks).

    Anything that is not a string is returned unchanged, so an importer can pass every
    cell of a row through it.
    """
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    return value


def has_control_characters(value) -> bool:
    return isinstance(value, str) and _CONTROL.search(value) is not None


def clean_data(data):
    """A copy of form data (a QueryDict or a plain mapping) with every value cleaned."""
    if isinstance(data, QueryDict):
        if not any(has_control_characters(v) for values in data.lists() for v in values[1]):
            return data
        cleaned = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
        cleaned._mutable = data._mutable
        return cleaned
    if isinstance(data, Mapping):
        return {
            clean_text(key): [clean_text(v) for v in value]
            if isinstance(value, list | tuple)
            else clean_text(value)
            for key, value in data.items()
        }
    return data
