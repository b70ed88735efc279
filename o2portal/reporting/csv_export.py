"""CSV files as French spreadsheets open them: UTF-8 with a byte-order mark (so that Excel
reads the accents), `;` between cells, decimal commas, dates dd/mm/yyyy in Paris time.
Rows are read a batch at a time and sent as they are written: an export never holds a
whole table in memory, nor one database session for the whole download.

A cell a person typed that starts with = + - @ (or a tab or a carriage return) would be
run as a formula by a spreadsheet: it gets a leading apostrophe. The figures the portal
writes (amounts, rates) are `Figure`s and are written as they are."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from o2portal.core.clock import PARIS
from o2portal.core.db import read_session

BOM = "\ufeff"
SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500
# Bytes gathered before a chunk goes to the browser.
CHUNK = 64 * 1024


class Figure(str):
    """A number the portal formatted itself: never taken for a formula."""


def amount(cents: int) -> Figure:
    """12345 → '123,45'; -1200 → '-12,00' (no thousands separator, no currency sign: a
    spreadsheet reads it as a number)."""
    euros, rest = divmod(abs(cents), 100)
    return Figure(f"{'-' if cents < 0 else ''}{euros},{rest:02d}")


def rate(basis_points: int) -> Figure:
    """2000 → '20'; 550 → '5,5' (a percentage)."""
    whole, rest = divmod(basis_points, 100)
    return Figure(f"{whole},{rest:02d}".rstrip("0").rstrip(",")) if rest else Figure(str(whole))


def day(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(PARIS).strftime("%d/%m/%Y")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Figure):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def in_batches(query, id_column, row_id: Callable, *, size: int = BATCH) -> Iterator:
    """The rows of `query`, newest id first, `size` at a time, each batch in a short
    session of its own (keyset paging on `id_column`; `row_id(row)` reads it back)."""
    last = None
    while True:
        page = query if last is None else query.where(id_column < last)
        with read_session() as session:
            rows = session.exec(page.order_by(id_column.desc()).limit(size)).all()
        yield from rows
        if len(rows) < size:
            return
        last = row_id(rows[-1])


def csv_chunks(tables: Iterable[tuple[list[str], Iterable[list]]]) -> Iterator[bytes]:
    """The file, in chunks of bytes: the BOM, then each table (its header then its rows),
    with an empty line between two tables."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n")
    for number, (header, rows) in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerow([cell(title) for title in header])
        for row in rows:
            writer.writerow([cell(value) for value in row])
            if buffer.tell() >= CHUNK:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
