"""/order, the "Certificat SSL" tab: the offer, the name, a CSR pasted or a key made by the
portal, the organisation of an OV; added to the same cart as the other products.

The state's part is a mixin of OrderState (its cart, its checkout); what the customer typed
is checked by the cart's pricing (billing/orders.py → products/certificates.py), each
error shown under its field, and nothing is kept until it passes."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from o2portal.billing.orders import CartItem, price_cart
from o2portal.core.errors import InvalidInput
from o2portal.core.formatting import money
from o2portal.core.i18n import translate
from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.forms import field_error, label
from o2portal.web.components.i18n import t
from o2portal.web.session import customer_of, language_of

MAX_CSR_FORM = 20_000  # integrations/csr.py refuses longer, with its own message


def _message(key: str, lang: str) -> str:
    base, _, arg = key.partition("|")
    return translate(base, lang, name=arg) if arg else translate(base, lang)


def certificate_rows(offers, lang: str) -> list[dict[str, str]]:
    """The offers on sale, as the tab shows them."""
    return [
        {
            "code": o.code,
            "name": o.name,
            "price": money(o.year_cents, lang),
            "description": o.description,
            "ov": "1" if o.validation == "ov" else "",
            "wildcard": "1" if o.wildcard else "",
        }
        for o in offers
    ]


class CertificateOrderFields(rx.State, mixin=True):
    certificates: list[dict[str, str]] = []
    ssl_offer: str = "ssl-dv"
    ssl_key_mode: str = "portal"  # portal | csr
    ssl_ov: bool = False  # the chosen offer names the organisation
    ssl_errors: dict[str, str] = {}

    def _show_certificates(self, offers, lang: str) -> None:
        self.certificates = certificate_rows(offers, lang)
        codes = [o["code"] for o in self.certificates]
        if self.ssl_offer not in codes and codes:
            self.ssl_offer = codes[0]
        self.ssl_ov = any(o["ov"] for o in self.certificates if o["code"] == self.ssl_offer)
        self.ssl_errors = {}

    @rx.event
    def choose_certificate(self, code: str):
        for offer in self.certificates:
            if offer["code"] == code:
                self.ssl_offer, self.ssl_ov, self.ssl_errors = code, offer["ov"] != "", {}

    @rx.event
    def set_ssl_key_mode(self, value: str):
        self.ssl_key_mode = value if value in ("portal", "csr") else "portal"

    @rx.event
    async def add_certificate(self, form: dict):
        """Add the certificate to the cart if everything typed is right; else each error
        under its field."""
        user = await customer_of(self)
        lang = await language_of(self)
        self.ssl_errors = {}
        item = CartItem(
            "ssl",
            code=self.ssl_offer[:32],
            domain=str(form.get("ssl_domain") or "")[:300],
            csr=str(form.get("csr") or "")[:MAX_CSR_FORM] if self.ssl_key_mode == "csr" else "",
            organization=str(form.get("organization") or "")[:200],
        )
        if self.ssl_key_mode == "csr" and not item.csr.strip():
            self.ssl_errors = {"csr": translate("ssl.csr_required", lang)}
            return
        candidate = [CartItem(**i) for i in self._cart] + [item]
        try:
            await asyncio.to_thread(price_cart, user.customer.id, candidate, "")
        except InvalidInput as exc:
            self.ssl_errors = {k: _message(v, lang) for k, v in exc.errors.items()}
            return
        self._cart = [dataclasses.asdict(i) for i in candidate]
        self.done_message = ""
        if self.pay_done:
            self._arm()  # a new order begins
        await self._refresh_cart(user)


def _offer_card(S, o) -> rx.Component:
    chosen = S.ssl_offer == o["code"]
    return rx.card(
        rx.vstack(
            rx.heading(o["name"], size="4"),
            rx.text(o["description"], size="2"),
            rx.text(o["price"], " ", t("order.ht"), " ", t("order.per_year"), weight="bold"),
            rx.button(
                rx.cond(chosen, t("order.chosen"), t("order.choose")),
                variant=rx.cond(chosen, "solid", "outline"),
                on_click=S.choose_certificate(o["code"]),
                id="ssl-offer-" + o["code"],
                width="100%",
            ),
            spacing="2",
        ),
        class_name=rx.cond(chosen, "o2-chosen", ""),
    )


def _text(S, name: str, key: str, hint: str, **props) -> rx.Component:
    return rx.box(
        label(name, key),
        rx.input(name=name, id=name, width="100%", size="3", **props),
        rx.text(t(hint), size="1", color_scheme="gray"),
        field_error(S.ssl_errors, name),
        width="100%",
    )


def certificate_tab(S) -> rx.Component:
    """The tab's content; `S` is OrderState."""
    return stack(
        columns(rx.foreach(S.certificates, lambda o: _offer_card(S, o)), n="3"),
        rx.form(
            stack(
                _text(
                    S,
                    "ssl_domain",
                    "ssl.domain",
                    "ssl.domain_hint",
                    placeholder="www.mon-site.fr",
                    max_length=300,
                    auto_complete="off",
                ),
                rx.cond(
                    S.ssl_ov,
                    _text(
                        S,
                        "organization",
                        "ssl.organization",
                        "ssl.organization_hint",
                        max_length=64,
                    ),
                ),
                rx.radio_group.root(
                    rx.vstack(
                        rx.el.label(
                            rx.radio_group.item(value="portal", id="ssl-key-portal"),
                            t("ssl.key_portal"),
                            class_name="o2-check-label",
                        ),
                        rx.el.label(
                            rx.radio_group.item(value="csr", id="ssl-key-csr"),
                            t("ssl.key_csr"),
                            class_name="o2-check-label",
                        ),
                        spacing="2",
                    ),
                    value=S.ssl_key_mode,
                    on_change=S.set_ssl_key_mode,
                    name="key_mode",
                ),
                rx.cond(
                    S.ssl_key_mode == "csr",
                    rx.box(
                        label("csr", "ssl.csr"),
                        rx.text_area(
                            name="csr",
                            id="csr",
                            rows="8",
                            width="100%",
                            max_length=MAX_CSR_FORM,
                            placeholder="-----BEGIN CERTIFICATE REQUEST-----",
                            font_family="monospace",
                        ),
                        field_error(S.ssl_errors, "csr"),
                        width="100%",
                    ),
                ),
                field_error(S.ssl_errors, "cart"),
                rx.button(t("order.add"), type="submit", id="add-certificate", size="3"),
            ),
            on_submit=S.add_certificate,
            reset_on_submit=False,
            no_validate=True,
            id="ssl-form",
        ),
    )
