"""ONE pricing module: what a first order and a renewal cost HT, for hosting, domain
names, managed servers and SSL certificates, and what a promo code takes off. The cart,
the renewal quote, the reminders and the demo data all price through here, with the
catalogue's rows.

Prices are integer cents HT; VAT is added on the document's total (core.money).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from o2portal.catalog.models import (
    CertificateOffer,
    HostingOffer,
    PromoCode,
    ServerModel,
    TldPrice,
)
from o2portal.core.db import read_models
from o2portal.core.errors import InvalidInput


@dataclass
class PricedLine:
    """One line of an order form: what it is, and its price HT for the whole period."""

    # hosting | register | transfer | server | ssl | renew | restore_fee | discount
    action: str
    description: str
    item_code: str
    years: int
    total_ht_cents: int
    details: dict = field(default_factory=dict)


def years_text(years: int) -> str:
    return "1 an" if years == 1 else f"{years} ans"


def hosting_price(offer: HostingOffer, years: int) -> int:
    """A new hosting account: the first year at the first-year price, the following
    ones at the renewal price for that many years."""
    if years == 1:
        return offer.first_year_cents
    return offer.first_year_cents + getattr(offer, f"renew_{years - 1}y_cents")


def hosting_renewal_price(offer: HostingOffer, years: int) -> int:
    return getattr(offer, f"renew_{years}y_cents")


def server_price(model: ServerModel, years: int) -> int:
    """Managed servers are priced by the month and billed by the year."""
    return model.monthly_cents * 12 * years


# ---------------------------------------------------------------- first orders


def hosting_line(offer: HostingOffer, domain_display: str, domain_ascii: str, years: int):
    return PricedLine(
        "hosting",
        f"{offer.name} — {domain_display} — {years_text(years)}",
        offer.code,
        years,
        hosting_price(offer, years),
        {"domain": domain_ascii},
    )


def free_domain_line(domain_display: str, domain_ascii: str, tld: str) -> PricedLine:
    """The domain a hosting order includes for its first year."""
    return PricedLine(
        "register",
        f"Nom de domaine {domain_display} — 1 an (offert avec l'hébergement)",
        domain_ascii,
        1,
        0,
        {"tld": tld, "free_with_hosting": True},
    )


def registration_line(tld: TldPrice, domain_display: str, domain_ascii: str, years: int):
    return PricedLine(
        "register",
        f"Enregistrement du nom de domaine {domain_display} — {years_text(years)}",
        domain_ascii,
        years,
        tld.register_cents * years,
        {"tld": tld.tld},
    )


def transfer_line(
    tld: TldPrice, domain_display: str, domain_ascii: str, auth_code: str = ""
) -> PricedLine:
    """A transfer in; the line keeps the auth code until the registrar has it."""
    return PricedLine(
        "transfer",
        f"Transfert du nom de domaine {domain_display} (+1 an)",
        domain_ascii,
        1,
        tld.transfer_cents,
        {"tld": tld.tld, "auth_code": auth_code} if auth_code else {"tld": tld.tld},
    )


def server_line(model: ServerModel, hostname: str, years: int = 1) -> PricedLine:
    return PricedLine(
        "server",
        f"{model.name} — {12 * years} mois (facturé à l'année)",
        model.code,
        years,
        server_price(model, years),
        {"hostname": hostname},
    )


def certificate_line(offer: CertificateOffer, display: str, details: dict) -> PricedLine:
    """An SSL certificate for a year; `details` carry what issuing it needs (its names,
    the CSR pasted if any, the organisation of an OV)."""
    return PricedLine(
        "ssl",
        f"{offer.name} — {display} — {years_text(1)}",
        offer.code,
        1,
        offer.year_cents,
        details,
    )


# ---------------------------------------------------------------- promo codes


def discount_cents(promo: PromoCode, subtotal: int) -> int:
    """What a promo code takes off a subtotal HT: a percentage (in basis points) or a
    fixed amount, never more than the subtotal."""
    if promo.kind == "percent":
        return min(subtotal, (subtotal * promo.value + 5000) // 10000)
    return min(subtotal, promo.value)


def discount_line(promo: PromoCode, subtotal: int) -> PricedLine:
    return PricedLine(
        "discount",
        f"Remise (code {promo.code})",
        promo.code,
        0,
        -discount_cents(promo, subtotal),
        {"promo": promo.code},
    )


# ---------------------------------------------------------------- renewals


# A product's kind → the catalogue table that prices it, its key column, and the price
# book's dict that holds its rows.
_PRICED_BY = {
    "hosting": (HostingOffer, "code", "hosting"),
    "server": (ServerModel, "code", "servers"),
    "ssl": (CertificateOffer, "code", "certificates"),
    "domain": (TldPrice, "tld", "tlds"),
}


@functools.cache
def _price_rows(kind: str):
    """The rows of the table pricing `kind` whose key is one of the bound codes: built
    once per kind (a product page's quote reads one at each opening)."""
    table, key, _ = _PRICED_BY[kind]
    return select(table).where(col(getattr(table, key)).in_(bindparam("codes", expanding=True)))


class PriceBook:
    """The catalogue's price rows read once (they are a few dozen): a job that prices
    thousands of products asks here instead of querying per product. With `product`,
    only the rows that can price it (a quote, a renewal's order form: one statement
    instead of the four tables)."""

    def __init__(self, session: Session, product=None):
        if product is None:
            self.hosting = {o.code: o for o in session.exec(select(HostingOffer))}
            self.servers = {m.code: m for m in session.exec(select(ServerModel))}
            self.tlds = {t.tld: t for t in session.exec(select(TldPrice))}
            self.certificates = {c.code: c for c in session.exec(select(CertificateOffer))}
            return
        self.hosting, self.servers, self.tlds, self.certificates = {}, {}, {}, {}
        kind = product.kind if product.kind in _PRICED_BY else "domain"
        codes = [product.offer_code or ""]
        if kind == "domain":  # as tld_of looks: the offer's code, then the name's suffix
            codes.append(product.name.rsplit(".", 1)[-1])
        table, key, shelf = _PRICED_BY[kind]
        found = read_models(table, _price_rows(kind), {"codes": codes}, session)
        getattr(self, shelf).update({getattr(row, key): row for row in found})

    def tld_of(self, product) -> TldPrice | None:
        return self.tlds.get(product.offer_code) or self.tlds.get(product.name.rsplit(".", 1)[-1])

    def renewal_lines(self, product, years: int, restore: bool = False) -> list[PricedLine]:
        """Renewing `product` for `years` at catalogue prices (with the restoration fee of
        a domain past its grace period). A product whose offer left the catalogue cannot
        be renewed online: InvalidInput, shown on its page."""
        period = years_text(years)
        if product.kind == "hosting":
            offer = self.hosting.get(product.offer_code)
            if offer is None:
                raise InvalidInput({"years": "error.not_renewable_online"})
            text = f"Renouvellement {offer.name} — {product.name} — {period}"
            return [
                PricedLine("renew", text, offer.code, years, hosting_renewal_price(offer, years))
            ]
        if product.kind == "server":
            model = self.servers.get(product.offer_code)
            if model is None:
                raise InvalidInput({"years": "error.not_renewable_online"})
            text = f"Renouvellement {model.name} — {product.name} — {12 * years} mois"
            return [PricedLine("renew", text, model.code, years, server_price(model, years))]
        if product.kind == "ssl":
            # Re-issued for one more year: public CAs sign for a year at most.
            offer = self.certificates.get(product.offer_code)
            if offer is None:
                raise InvalidInput({"years": "error.not_renewable_online"})
            if years != 1:
                raise InvalidInput({"years": "ssl.renew_one_year"})
            text = f"Renouvellement {offer.name} — {product.name} — {years_text(1)}"
            return [PricedLine("renew", text, offer.code, 1, offer.year_cents)]
        tld = self.tld_of(product)
        if tld is None:
            raise InvalidInput({"years": "error.not_renewable_online"})
        lines = [
            PricedLine(
                "renew",
                f"Renouvellement du nom de domaine {product.name} — {period}",
                product.name,
                years,
                tld.renew_cents * years,
            )
        ]
        if restore:
            lines.append(
                PricedLine(
                    "restore_fee",
                    f"Frais de restauration du nom de domaine {product.name}",
                    product.name,
                    0,
                    tld.restore_cents,
                )
            )
        return lines

    def one_year_renewal(self, product) -> int:
        """The price HT of renewing for one year (what a reminder quotes); 0 when the
        offer left the catalogue."""
        try:
            return self.renewal_lines(product, 1)[0].total_ht_cents
        except InvalidInput:
            return 0
