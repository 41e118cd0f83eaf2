"""CSV and XLSX writers that keep memory flat however many rows they are given."""

import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook

from rescue.text import clean_text

# A cell starting with one of these is a formula to a spreadsheet program; text typed
# into the app (an alias) must never run as one (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel splits a CSV line at the list separator of the reader's locale, not only at the
# comma: ";" in much of Europe and Latin America, tab or "|" where a user set it. An
# unquoted cell `x;=cmd|'/C calc'!A0` becomes the cells `x` and `=cmd|...` there. So a
# cell holding any such separator is always quoted (Excel keeps a quoted cell whole
# whatever its separator), and one with a formula after a separator is guarded as well.
_SEPARATORS = ",;\t|"
_NEEDS_QUOTES = re.compile("[" + re.escape(_SEPARATORS) + '"\r\n]')
_FORMULA_AFTER_SEPARATOR = re.compile("[" + re.escape(_SEPARATORS) + "\r\n]\\s*[=+\\-@]")


def safe_cell(value):
    """The value, with a leading apostrophe where a spreadsheet could read a formula."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if value.startswith(_FORMULA_START) or _FORMULA_AFTER_SEPARATOR.search(value):
        return "'" + value
    return value


def _csv_field(value) -> str:
    text = "" if value is None else str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(values: Iterable) -> bytes:
    # RFC 4180, as the csv module writes it, but quoting every separator a locale may use.
    return (",".join(_csv_field(value) for value in values) + "\r\n").encode()


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV one line at a time, UTF-8 with a byte-order mark so spreadsheets read it."""
    yield "\ufeff".encode() + _csv_line(header)
    for row in rows:
        yield _csv_line(safe_cell(value) for value in row)


def xlsx_file(title: str, header: Sequence[str], rows: Iterable[Sequence]):
    """An XLSX workbook of one sheet written row by row, in a temporary file at position 0.

    openpyxl's write-only mode keeps no rows in memory; the file is on disk (the
    system's temporary folder) and disappears when closed.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that sends it
    workbook.save(handle)
    handle.seek(0)
    return handle
