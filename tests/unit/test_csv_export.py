"""The CSV writer of the staff's exports: figures with a decimal comma, formula cells
neutralised, chunks that add up to the whole file, rows read in batches."""

from __future__ import annotations

import csv
import io

from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.reporting.csv_export import (
    CHUNK,
    Figure,
    amount,
    cell,
    csv_chunks,
    in_batches,
    rate,
)
from tests.unit.test_orders_rules import person


def test_figures_are_written_the_french_way():
    assert [amount(c) for c in (0, 5, 123456, -1200, -5)] == [
        "0,00",
        "0,05",
        "1234,56",
        "-12,00",
        "-0,05",
    ]
    assert [rate(bp) for bp in (2000, 0, 550, 1025)] == ["20", "0", "5,5", "10,25"]


def test_typed_text_never_runs_as_a_formula():
    for text in ("=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert cell(text) == "'" + text
    assert cell("Hélène") == "Hélène" and cell(None) == "" and cell(42) == "42"
    assert cell(Figure("-12,00")) == "-12,00"  # a figure the portal wrote is kept


def test_chunks_make_the_whole_file():
    rows = [[f"ligne {n}", amount(n * 101), "é" * 40] for n in range(5000)]
    chunks = list(csv_chunks([(["A", "B", "C"], iter(rows)), (["D"], [["x"]])]))
    assert len(chunks) > 2 and all(len(c) < 2 * CHUNK for c in chunks)
    text = b"".join(chunks).decode("utf-8")
    assert text.startswith("\ufeffA;B;C\r\n")
    read = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert read[1] == ["ligne 0", "0,00", "é" * 40]
    assert read[5000] == ["ligne 4999", "5048,99", "é" * 40]
    assert read[5001:] == [[], ["D"], ["x"]]


def test_rows_are_read_in_batches_newest_first(db):
    ids = [person(f"lot{n}@example.fr") for n in range(5)]
    found = list(in_batches(select(Customer), col(Customer.id), lambda c: c.id, size=2))
    assert [c.id for c in found] == sorted(ids, reverse=True)
