"""A bare Reflex 0.10 app, the floor the portal is measured against: a counter, one
handler that makes one SQLite query through sqlmodel (a page of 25 rows of a table of a
few thousand), a text box whose every change makes one query, and each row's link to a
page of its own whose on_load makes one query (the floor of a navigation).

FLOOR_DB names its SQLite file (bench/harness/data.py builds it)."""

from __future__ import annotations

import os
import re
from datetime import date

import reflex as rx
from sqlmodel import Field, Session, SQLModel, col, create_engine, select

PAGE = 25
engine = create_engine(f"sqlite:///{os.environ.get('FLOOR_DB', 'floor.db')}")


class Item(SQLModel, table=True):
    __tablename__ = "item"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str
    expiry_date: date = Field(index=True)


def _rows(items) -> list[dict[str, str]]:
    return [
        {"id": str(i.id), "name": i.name, "kind": i.kind, "expiry": i.expiry_date.isoformat()}
        for i in items
    ]


class FloorState(rx.State):
    count: int = 0
    page: int = 0
    rows: list[dict[str, str]] = []
    query: str = ""
    found: list[dict[str, str]] = []

    @rx.event
    def increment(self):
        self.count += 1

    @rx.event
    def next_page(self):
        """One query: the next page of 25 items by expiry date."""
        self.page += 1
        with Session(engine) as session:
            items = session.exec(
                select(Item)
                .order_by(Item.expiry_date, Item.id)
                .offset((self.page % 100) * PAGE)
                .limit(PAGE)
            ).all()
        self.rows = _rows(items)

    @rx.event
    def set_query(self, value: str):
        """One query per change of the text box: the first 25 names starting with it."""
        self.query = value[:100]
        with Session(engine) as session:
            items = session.exec(
                select(Item)
                .where(col(Item.name).startswith(self.query))
                .order_by(Item.name)
                .limit(PAGE)
            ).all()
        self.found = _rows(items)


class ItemState(rx.State):
    """/item/[item_id]: one item, read by the page's on_load with one query."""

    name: str = ""
    kind: str = ""
    expiry: str = ""

    @rx.event
    def load(self):
        match = re.search(r"/item/(\d{1,12})/?$", self.router.url.path or "")
        with Session(engine) as session:
            item = session.get(Item, int(match.group(1))) if match else None
        if item is None:
            self.name = self.kind = self.expiry = ""
            return
        self.name, self.kind, self.expiry = item.name, item.kind, item.expiry_date.isoformat()


def _table(rows, table_id: str) -> rx.Component:
    return rx.table.root(
        rx.table.body(
            rx.foreach(
                rows,
                lambda r: rx.table.row(
                    rx.table.cell(rx.link(r["name"], href="/item/" + r["id"])),
                    rx.table.cell(r["kind"]),
                    rx.table.cell(r["expiry"]),
                ),
            )
        ),
        id=table_id,
    )


def index() -> rx.Component:
    S = FloorState
    return rx.vstack(
        rx.cond(rx.State.is_hydrated, rx.el.span(id="hydrated", hidden=True)),
        rx.hstack(
            rx.button("Count", on_click=S.increment, id="counter"),
            rx.text(S.count, id="count"),
        ),
        rx.hstack(
            rx.button("Next page", on_click=S.next_page, id="next"),
            rx.text(S.page, id="page"),
        ),
        _table(S.rows, "rows"),
        rx.input(id="search", default_value=S.query, on_change=S.set_query, max_length=100),
        rx.text(S.found.length(), id="found-count"),
        _table(S.found, "found"),
        padding="1em",
    )


def item() -> rx.Component:
    return rx.vstack(
        rx.link("Back", href="/"),
        rx.heading(ItemState.name, id="item-name"),
        rx.text(ItemState.kind),
        rx.text(ItemState.expiry),
        padding="1em",
    )


app = rx.App()
app.add_page(index, route="/")
app.add_page(item, route="/item/[item_id]", on_load=ItemState.load)
