"""The SSL certificate's handlers: the order tab answers bad input under each field and
keeps nothing; a certificate is ordered and paid from the same cart; its product page
shows the record to create, "Vérifier" and the files, and nothing of another customer's."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select

from o2portal.billing.models import Order
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.core import clock
from o2portal.core.db import read_session, transaction
from o2portal.integrations.csr import make_key_and_csr
from o2portal.integrations.registrar import LocalRegistrar
from o2portal.products.models import Product
from o2portal.web.customer.order.state import OrderState
from o2portal.web.customer.services.certificate import CertificateProductState
from o2portal.web.customer.services.product_state import ProductState
from tests.state.conftest import as_page_sends, make_state, run, sibling

CARD = {
    "card_number": "4242 4242 4242 4242",
    "card_expiry": "12/30",
    "card_cvc": "123",
    "card_holder": "Alice",
    "terms": True,
    "withdrawal": True,
}


def orders() -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(Order)).one()


def order_page(people, who: str = "alice"):
    with transaction() as session:
        ensure_catalogue(session)
    state = make_state(OrderState, token=people["token"][who], path="/order")
    run(state, "load")
    return state


def test_the_tab_shows_the_three_offers_and_refuses_bad_input_by_field(people):
    state = order_page(people)
    assert [o["code"] for o in state.certificates] == ["ssl-dv", "ssl-dv-wildcard", "ssl-ov"]
    assert state.ssl_offer == "ssl-dv" and not state.ssl_ov
    run(state, "set_tab", "ssl")
    assert state.tab == "ssl"
    run(state, "add_certificate", {"ssl_domain": "pas un nom"})
    assert state.ssl_errors == {
        "ssl_domain": "Ce nom n'est pas un nom de domaine valide (exemple : www.mon-site.fr)."
    }
    run(state, "set_ssl_key_mode", "csr")
    run(state, "add_certificate", {"ssl_domain": "mon-site.fr", "csr": "bonjour"})
    assert set(state.ssl_errors) == {"csr"} and "PEM" in state.ssl_errors["csr"]
    other = make_key_and_csr(["autre.fr"]).csr_pem
    run(state, "add_certificate", {"ssl_domain": "mon-site.fr", "csr": other})
    assert "autre nom" in state.ssl_errors["csr"]
    run(state, "choose_certificate", "ssl-dv-wildcard")
    run(state, "set_ssl_key_mode", "portal")
    run(state, "add_certificate", {"ssl_domain": "ailleurs.fr"})
    assert "géré dans votre compte" in state.ssl_errors["ssl_domain"]
    run(state, "choose_certificate", "ssl-ov")
    assert state.ssl_ov
    run(state, "add_certificate", {"ssl_domain": "mon-site.fr", "organization": ""})
    assert set(state.ssl_errors) == {"organization"}
    # Nothing was kept: not in the cart, not in the database.
    assert state.cart_rows == [] and orders() == 0


def test_a_certificate_is_ordered_and_its_page_asks_for_the_record(people):
    LocalRegistrar().register(
        "ailleurs-page.fr", holder_ref="x", years=1, nameservers=[], request_id="ap"
    )
    state = order_page(people)
    run(state, "add_certificate", {"ssl_domain": "ailleurs-page.fr"})
    assert state.ssl_errors == {}
    assert len(state.cart_rows) == 1 and "Certificat SSL DV" in state.cart_rows[0]["description"]
    run(state, "pay", as_page_sends(state, CARD))
    assert "F" in state.done_message and state.cart_rows == []
    with read_session() as session:
        product_id = session.exec(select(Product.id).where(Product.kind == "ssl")).one()

    product_page = make_state(
        ProductState, token=people["token"]["alice"], path=f"/services/{product_id}"
    )
    run(product_page, "load")  # it fills the certificate's section in the same event
    assert product_page.kind == "ssl"
    page = sibling(product_page, CertificateProductState)
    assert page.is_certificate and page.state == "pending" and not page.automatic
    assert [r["name"] for r in page.records] == ["_o2portal-challenge.ailleurs-page.fr"]
    assert page.key_waiting and not page.has_certificate
    run(page, "verify")
    assert "pas encore visible" in page.verify_error and page.state == "pending"
    LocalRegistrar().add_txt_record(
        "ailleurs-page.fr", page.records[0]["name"], page.records[0]["value"]
    )
    run(page, "verify")
    assert "quelques secondes" in page.verify_error and page.state == "pending"
    with clock.frozen_at(clock.now() + timedelta(seconds=6)):
        run(page, "verify")
    assert page.verify_error == "" and page.state == "issued" and page.has_certificate
    assert page.serial and page.valid_until

    # Bob, on the same address: nothing of Alice's certificate, the same as no product.
    stranger_page = make_state(
        ProductState, token=people["token"]["bob"], path=f"/services/{product_id}"
    )
    run(stranger_page, "load")
    assert not stranger_page.found
    stranger = sibling(stranger_page, CertificateProductState)
    assert not stranger.is_certificate and stranger.records == [] and stranger.serial == ""
    run(stranger, "verify")
    assert not stranger.is_certificate


def test_an_admin_edits_a_certificate_price_and_the_order_tab_shows_it(people):
    from o2portal.web.staff.catalog.state import AdminCatalogState

    with transaction() as session:
        ensure_catalogue(session)
    admin = make_state(AdminCatalogState, token=people["token"]["ada"], path="/admin/catalogue")
    run(admin, "load")
    dv = next(c for c in admin.certificates if c["code"] == "ssl-dv")
    assert dv["year"] == "29,00\xa0€"
    run(admin, "edit_certificate", dv["id"])
    assert admin.form == "certificate" and admin.edit["year"] == "29,00"
    run(admin, "save_certificate", {"year": "abc", "active": "on"})
    assert set(admin.errors) == {"year"}
    run(admin, "save_certificate", {"year": "31,50", "active": "on"})
    assert admin.errors == {} and admin.message == "Certificat SSL DV : prix enregistré."
    state = order_page(people)
    assert next(o for o in state.certificates if o["code"] == "ssl-dv")["price"] == "31,50\xa0€"
