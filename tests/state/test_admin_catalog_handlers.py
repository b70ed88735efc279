"""The staff catalogue page's handlers: one open form, errors by field, the saved price
on the order page; the row saved is the one the server opened."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.catalog.defaults import ensure_catalogue
from o2portal.catalog.models import PromoCode, TldPrice
from o2portal.core.db import read_session, transaction
from o2portal.web.customer.order.state import OrderState
from o2portal.web.guards import Forbidden
from o2portal.web.staff.catalog.state import AdminCatalogState
from tests.state.conftest import make_state, run

PRICES = {"register": "9,90", "renew": "10", "transfer": "10", "restore": "35", "active": "on"}


@pytest.fixture
def catalogue(people):
    with transaction() as session:
        ensure_catalogue(session)
    with read_session() as session:
        return {t.tld: t.id for t in session.exec(select(TldPrice)).all()}


def test_admin_edits_a_tld_price_and_the_order_page_shows_it(people, catalogue):
    state = make_state(AdminCatalogState, token=people["token"]["ada"], path="/admin/catalogue")
    run(state, "load")
    assert state.loaded
    fr = next(r for r in state.tlds if r["tld"] == "fr")
    assert fr["register"] == "8,25\xa0€"
    run(state, "edit_tld", fr["id"])
    assert state.form == "tld" and state.edit["register"] == "8,25"
    run(state, "save_tld", {**PRICES, "register": "-3", "restore": "abc"})
    assert set(state.errors) == {"register", "restore"} and state.form == "tld"
    assert state.errors["register"].startswith("Indiquez un montant")
    run(state, "save_tld", PRICES)
    assert state.errors == {} and state.form == "" and state.message == "Extension .fr enregistrée."
    assert next(r for r in state.tlds if r["tld"] == "fr")["register"] == "9,90\xa0€"
    # Only .fr changed: the id came from the server's open form, not from the browser.
    with read_session() as session:
        prices = {t.tld: t.register_cents for t in session.exec(select(TldPrice)).all()}
    assert prices["fr"] == 990 and prices["com"] == 1050

    order = make_state(OrderState, token=people["token"]["alice"], path="/order")
    run(order, "load")
    run(order, "set_query", "prix-nouveau.fr")
    run(order, "search")
    assert order.found["register"] == "9,90\xa0€"


def test_a_save_without_an_open_form_changes_nothing(people, catalogue):
    state = make_state(AdminCatalogState, token=people["token"]["ada"])
    run(state, "load")
    run(state, "save_tld", {**PRICES, "register": "1"})
    with read_session() as session:
        assert session.get(TldPrice, catalogue["fr"]).register_cents == 825


def test_promo_codes_from_the_page(people, catalogue):
    state = make_state(AdminCatalogState, token=people["token"]["ada"])
    run(state, "load")
    run(state, "open_new_promo")
    run(state, "create_promo", {"code": "ete", "kind": "percent", "value": "250"})
    assert state.errors == {"value": "Indiquez un pourcentage entre 0,01 et 100."}
    run(state, "create_promo", {"code": "ete", "kind": "percent", "value": "15", "max_uses": ""})
    assert state.message == "Code promo ETE créé."
    (row,) = state.promos
    assert (row["code"], row["discount"], row["uses"]) == ("ETE", "15\xa0%", "0 / ∞")
    run(state, "deactivate_promo", row["id"])
    assert state.promos[0]["active"] == ""
    with read_session() as session:
        assert session.exec(select(PromoCode)).one().active is False


def test_support_may_not_open_the_catalogue(people, catalogue):
    state = make_state(AdminCatalogState, token=people["token"]["sam"])
    with pytest.raises(Forbidden):
        run(state, "load")
    assert not state.loaded and state.tlds == []
