"""core/db.read_models: rows read on a plain connection and put together as the ORM puts
them together, for the reads a product page makes at each opening (its invoices, the
saved cards, a pending change of holder, the price rows of its quote)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete
from sqlalchemy import inspect as sa_inspect
from sqlmodel import select

from o2portal.accounts.models import SavedCard
from o2portal.billing.models import Invoice
from o2portal.catalog.models import CertificateOffer, HostingOffer, ServerModel, TldPrice
from o2portal.core.db import held_or_read, read_models, read_session, transaction
from o2portal.demo.seed import seed_demo
from o2portal.products.models import HolderChange, Product
from tests.unit.helpers import statements_run

MODELS = [Invoice, SavedCard, HolderChange, HostingOffer, ServerModel, CertificateOffer, TldPrice]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_row_is_the_one_the_orm_reads(db, model):
    seed_demo()
    statement = select(model).order_by(model.id)
    with read_session() as session:
        expected = [row.model_dump() for row in session.exec(statement).all()]
    found = read_models(model, statement, {})
    # Every field of the model is a column of its row, with the column's own name.
    assert set(model.model_fields) == {c.key for c in model.__table__.columns}
    assert {c.key for c in model.__table__.columns} == {c.name for c in model.__table__.columns}
    if model is not HolderChange:  # the demo offers no change of holder
        assert expected, "the demo should hold such rows"
    assert [row.model_dump() for row in found] == expected
    assert all(isinstance(row, model) and sa_inspect(row).transient for row in found)


def test_on_a_session_it_reads_within_its_transaction(db):
    """Given a session, the rows are read on its connection: a write transaction sees
    its own rows not yet committed (a renewal's quote prices inside the checkout's)."""
    statement = select(TldPrice).where(TldPrice.tld == "zz")
    with transaction() as session:
        session.add(
            TldPrice(
                tld="zz", register_cents=1000, renew_cents=1200, transfer_cents=0, restore_cents=0
            )
        )
        session.flush()
        assert [t.renew_cents for t in read_models(TldPrice, statement, {}, session)] == [1200]
        assert read_models(TldPrice, statement, {}) == []  # another connection: not yet


def _first_product_id() -> int:
    with read_session() as session:
        return session.exec(select(Product.id).order_by(Product.id)).first()


def test_held_or_read_reads_a_row_once_and_the_session_keeps_it(db):
    """The product page asks for its product from four rules: one read, taken into the
    session as a row it loaded, as session.get would (at half the cost)."""
    seed_demo()
    product_id = _first_product_id()
    with read_session() as session:
        expected = session.get(Product, product_id).model_dump()
    with read_session() as session:
        got: list = []
        with statements_run("SELECT") as first:
            got.append(held_or_read(session, Product, product_id))
        assert len(first) == 1
        assert got[0].model_dump() == expected
        assert sa_inspect(got[0]).persistent and not session.is_modified(got[0])
        # Asked again, or by session.get: the same instance, no statement.
        with statements_run("SELECT") as again:
            got.append(held_or_read(session, Product, product_id))
        assert len(again) == 0 and got[1] is got[0]
        with statements_run("SELECT") as by_get:
            got.append(session.get(Product, product_id))
        assert len(by_get) == 0
        assert got[2] is got[0]
        assert held_or_read(session, Product, 10**9) is None


def test_a_row_held_this_way_is_written_as_any_other(db):
    """In a write transaction, a change to such a row is saved at the commit (its other
    columns untouched), as for a row the ORM loaded."""
    seed_demo()
    product_id = _first_product_id()
    with read_session() as session:
        before = session.get(Product, product_id).model_dump()
    with transaction() as session:
        product = held_or_read(session, Product, product_id)
        product.auto_renew = not before["auto_renew"]
    with read_session() as session:
        after = session.get(Product, product_id).model_dump()
    assert after == before | {"auto_renew": not before["auto_renew"]}


def test_held_or_read_answers_as_session_get_for_an_expired_row_and_an_id_in_words(db):
    """Found in review: a row the session expired and that is gone meanwhile is None (as
    get reads it again), not a husk; an id given as text finds the row held under it."""
    with transaction() as session:
        price = TldPrice(
            tld="zz", register_cents=1, renew_cents=1, transfer_cents=0, restore_cents=0
        )
        session.add(price)
    with transaction() as session:
        held = held_or_read(session, TldPrice, price.id)
        assert held is not None and held.tld == "zz"
        assert held_or_read(session, TldPrice, str(price.id)) is held
        assert held_or_read(session, TldPrice, str(price.id)) is held
        session.expire(held)
        session.execute(delete(TldPrice).where(TldPrice.id == price.id))
        assert held_or_read(session, TldPrice, price.id) is None
