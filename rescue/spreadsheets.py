"""CSV and XLSX writers that keep memory flat however many rows they are given."""

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook

# A cell starting with one of these is a formula to a spreadsheet program; text typed
# into the app (an alias) must never run as one (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Line:
    """A file-like object that hands back what csv.writer writes instead of storing it."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV one line at a time, UTF-8 with a byte-order mark so spreadsheets read it."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow(header).encode()
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row]).encode()


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
