"""Prefix search that an index answers, on SQLite and on PostgreSQL.

`column LIKE 'abc%'` is served by an index on neither database as we use it: SQLite only
takes LIKE through an index on a plain column with NOCASE collation and no ESCAPE clause,
and PostgreSQL only through a `text_pattern_ops` or "C" index, never on `lower(column)`
without one. A prefix is a range instead: `abc <= value < abd` in code-point order, which a
B-tree reads directly. SQLite's default BINARY collation is code-point order (UTF-8
bytes); on PostgreSQL the comparison is made `COLLATE "C"` so that it does not depend on
the database's locale, and the indexes of `migrations/versions/*_search_indexes.py` are
built in that same collation (their names start with `ix_search_`). `%` and `_` are then
plain characters, with nothing to escape.
"""

from __future__ import annotations

from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement

from o2portal.core.db import get_engine

SEARCH_INDEX_PREFIX = "ix_search_"

_SURROGATES = range(0xD800, 0xE000)


def _after(prefix: str) -> str:
    """The smallest string greater than every string that starts with prefix."""
    text = prefix
    while text:
        code = ord(text[-1]) + 1
        if code in _SURROGATES:
            code = _SURROGATES.stop
        if code <= 0x10FFFF:
            return text[:-1] + chr(code)
        text = text[:-1]
    return "\U0010ffff"


def _bytewise(expr):
    return expr.collate("C") if get_engine().dialect.name == "postgresql" else expr


def starts_with(expr, prefix: str) -> ColumnElement[bool]:
    """expr starts with prefix (compared as it is: lower-case both sides when needed)."""
    value = _bytewise(expr)
    return and_(value >= prefix, value < _after(prefix))


def lower_starts_with(column, prefix: str) -> ColumnElement[bool]:
    """lower(column) starts with prefix.lower(), through the index on lower(column)."""
    return starts_with(func.lower(column), prefix.lower())
