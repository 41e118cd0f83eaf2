"""CSV and XLSX writers: text typed into the app never runs as a spreadsheet formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from rescue.spreadsheets import csv_lines, safe_cell, xlsx_file


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_a_cell_that_a_spreadsheet_would_run_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Spring Blossom", "2025-001", 3, None, ""])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) == value


def test_csv_lines_are_one_row_each_with_a_byte_order_mark_first():
    lines = list(csv_lines(["a", "b"], iter([["=1", "x,y"], [2, None]])))
    assert len(lines) == 3
    assert lines[0].startswith("\ufeff".encode())
    text = b"".join(lines).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["'=1", "x,y"], ["2", ""]]


def test_xlsx_file_holds_the_header_and_rows():
    handle = xlsx_file("A title longer than thirty-one characters", ["a"], iter([["=1"], [2]]))
    workbook = load_workbook(handle)
    assert workbook.sheetnames == ["A title longer than thirty-one "]
    assert [list(row) for row in workbook.active.values] == [["a"], ["'=1"], [2]]
