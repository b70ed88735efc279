"""Lists one page at a time: never more than a page of rows leaves the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

PAGE_SIZE = 25


@dataclass
class Page:
    rows: list
    total: int
    page: int  # 1-based, clamped to what exists
    pages: int


def page_of(total: int, page: int, size: int) -> tuple[int, int]:
    """(how many pages `total` rows make, `page` kept within them)."""
    pages = max(1, -(-total // size))
    return pages, max(1, min(page, pages))


def read_page(connection, count, rows, params: dict, page: int, size: int) -> Page:
    """One page on a plain connection, from statements built once: `count` counts every
    row, `rows` (with `size` and `skip` bound as its limit and offset) reads the page;
    `params` binds the rest. Nothing counted, nothing more read (most customers manage
    no product for others: their list page opens with that empty list)."""
    total = connection.execute(count, params).scalar_one()
    pages, page = page_of(total, page, size)
    if not total:
        return Page([], 0, page, pages)
    found = connection.execute(rows, params | {"size": size, "skip": (page - 1) * size}).all()
    return Page(list(found), total, page, pages)


def paginate(session: Session, query, page: int, *, size: int = PAGE_SIZE, count=None) -> Page:
    """One page of `query` (a select with its order). `count` is the query that counts
    every row (by default, `query` counted as a subquery)."""
    if count is None:
        count = select(func.count()).select_from(query.order_by(None).subquery())
    total = session.exec(count).one()
    pages, page = page_of(total, page, size)
    rows = session.exec(query.offset((page - 1) * size).limit(size)).all()
    return Page(list(rows), total, page, pages)
