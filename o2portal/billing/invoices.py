"""Billing rules: VAT, totals in integer cents, the gap-free numbering, invoices and
credit notes. An issued invoice is never changed; corrections are credit notes."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, func, select
from stdnum.eu import vat as eu_vat

from o2portal.accounts.models import Customer
from o2portal.billing.models import (
    CreditLedgerEntry,
    CreditNote,
    Invoice,
    InvoiceLine,
    NumberSequence,
    Order,
    OrderLine,
    OrderStatus,
)
from o2portal.core import audit, clock
from o2portal.core.db import read_models, read_session
from o2portal.core.money import EU_COUNTRIES, FRENCH_VAT_BP, Totals, vat_cents
from o2portal.core.paging import Page, paginate
from o2portal.core.stored_settings import seller_identity

REVERSE_CHARGE_MENTION = (
    "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE, "
    "article 283-2 du CGI)."
)
OUTSIDE_EU_MENTION = "TVA non applicable, article 259-1 du CGI (preneur établi hors de l'UE)."
LIST_LIMIT = 50


@dataclass(frozen=True)
class VatRule:
    rate_bp: int
    mention: str | None


def vat_rule(customer: Customer) -> VatRule:
    """France 20 %; an EU business with a valid VAT number: reverse charge; outside the EU:
    none. An EU consumer outside France pays French VAT (below the EU distance-selling
    threshold a French seller charges its own VAT)."""
    country = (customer.country or "FR").upper()
    if country == "FR":
        return VatRule(FRENCH_VAT_BP, None)
    if country in EU_COUNTRIES:
        business = customer.account_type != "particulier"
        if business and _vat_number_of(customer.vat_number, country):
            return VatRule(0, REVERSE_CHARGE_MENTION)
        return VatRule(FRENCH_VAT_BP, None)
    return VatRule(0, OUTSIDE_EU_MENTION)


def _vat_number_of(number: str | None, country: str) -> bool:
    """A valid EU VAT number issued by the customer's own country (Greece writes EL)."""
    if not number or not eu_vat.is_valid(number):
        return False
    return eu_vat.compact(number)[:2] == ("EL" if country == "GR" else country)


def customer_snapshot(customer: Customer) -> dict:
    return {
        "name": customer.display_name,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "company_name": customer.company_name,
        "email": customer.email,
        "address_line1": customer.address_line1,
        "address_line2": customer.address_line2,
        "postal_code": customer.postal_code,
        "city": customer.city,
        "country": customer.country,
        "siret": customer.siret,
        "vat_number": customer.vat_number,
    }


def _billed_identity(session: Session, order: Order) -> str:
    """The billing identity frozen on the order form when it was made, which its VAT rate
    and mention were decided on; the live customer only for forms older than that."""
    frozen = json.loads(order.billing_snapshot_json or "{}")
    if frozen:
        return json.dumps(frozen, ensure_ascii=False)
    customer = session.get(Customer, order.customer_id)
    return json.dumps(customer_snapshot(customer), ensure_ascii=False)


def seller_snapshot(session: Session | None = None) -> dict:
    """The seller as a new invoice prints it: the identity staff saved on /admin/settings,
    else the environment's. The invoice freezes it; later changes never reach it."""
    if session is None:
        with read_session() as own:
            return seller_identity(own)
    return seller_identity(session)


def next_number(session: Session, kind: str, year: int) -> tuple[int, str]:
    """Take the next number of a yearly gap-free sequence, inside the caller's transaction.

    The row is locked (FOR UPDATE; on SQLite the write transaction already holds the
    database lock), so concurrent payments get consecutive numbers and a rolled-back
    payment gives its number back.
    """
    if session.get_bind().dialect.name == "postgresql":
        # The year's first number: create the row first, so that there is a row to lock.
        session.execute(
            pg_insert(NumberSequence)
            .values(kind=kind, year=year, last_number=0)
            .on_conflict_do_nothing()
        )
    sequence = session.exec(
        select(NumberSequence)
        .where(NumberSequence.kind == kind, NumberSequence.year == year)
        .with_for_update()
    ).first()
    if sequence is None:
        sequence = NumberSequence(kind=kind, year=year, last_number=0)
    sequence.last_number += 1
    session.add(sequence)
    session.flush()
    return sequence.last_number, f"{kind}{year}-{sequence.last_number:06d}"


# What an invoice line takes from its order line, as ordered.
INVOICED_LINE_FIELDS = (
    "description",
    "quantity",
    "unit_price_ht_cents",
    "vat_rate_bp",
    "total_ht_cents",
)


def _numbered(session: Session, kind: str, moment: datetime) -> dict:
    """The number, year and sequence of a document issued at `moment`: the next number of
    its kind for the year of that moment in Paris."""
    year = moment.astimezone(clock.PARIS).year
    sequence, number = next_number(session, kind, year)
    return {"number": number, "year": year, "sequence": sequence}


def issue_invoice(session: Session, order: Order, *, method: str, paid_at: datetime) -> Invoice:
    """Turn a paid order form into an invoice with the next number of the year."""
    existing = session.exec(select(Invoice).where(Invoice.order_id == order.id)).first()
    if existing is not None:
        return existing
    invoice = Invoice(
        **_numbered(session, "F", paid_at),
        order_id=order.id,
        customer_id=order.customer_id,
        issued_at=paid_at,
        paid_at=paid_at,
        payment_method=method,
        total_ht_cents=order.total_ht_cents,
        total_vat_cents=order.total_vat_cents,
        total_ttc_cents=order.total_ttc_cents,
        vat_rate_bp=order.vat_rate_bp,
        vat_mention=order.vat_mention,
        seller_snapshot_json=json.dumps(seller_snapshot(session), ensure_ascii=False),
        customer_snapshot_json=_billed_identity(session, order),
    )
    session.add(invoice)
    session.flush()
    lines = session.exec(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id)
    ).all()
    for line in lines:
        copied = {name: getattr(line, name) for name in INVOICED_LINE_FIELDS}
        session.add(InvoiceLine(invoice_id=invoice.id, **copied))
    audit.about(session, "invoice.issued", invoice, number=invoice.number)
    return invoice


def issue_credit_note(
    session: Session,
    invoice: Invoice,
    *,
    amount_ht_cents: int,
    reason: str,
    refund_method: str = "credit",
    issued_by: Customer | None = None,
) -> CreditNote:
    """An avoir against an invoice, for at most what the invoice still holds; a refund to
    account credit is booked at once."""
    if amount_ht_cents <= 0:
        raise ValueError("a credit note is for a positive amount")
    # The invoice row is locked first: a second note waits, then reads the first one.
    session.exec(select(Invoice.id).where(Invoice.id == invoice.id).with_for_update()).one()
    earlier = session.exec(select(CreditNote).where(CreditNote.invoice_id == invoice.id)).all()
    credited = sum(note.total_ht_cents for note in earlier)
    if credited + amount_ht_cents > invoice.total_ht_cents:
        raise ValueError("a credit note cannot exceed what the invoice still holds")
    # The VAT of everything credited so far, less what earlier notes carried: rounding each
    # note on its own could refund more (or less) VAT than the invoice charged.
    vat = vat_cents(credited + amount_ht_cents, invoice.vat_rate_bp) - sum(
        note.total_vat_cents for note in earlier
    )
    totals = Totals(amount_ht_cents, vat, amount_ht_cents + vat)
    now = clock.now()
    note = CreditNote(
        **_numbered(session, "A", now),
        invoice_id=invoice.id,
        customer_id=invoice.customer_id,
        issued_at=now,
        reason=reason,
        total_ht_cents=totals.ht,
        total_vat_cents=totals.vat,
        total_ttc_cents=totals.ttc,
        vat_rate_bp=invoice.vat_rate_bp,
        refund_method=refund_method,
        issued_by_id=issued_by.id if issued_by else None,
        lines_json=json.dumps(
            [
                {
                    "description": f"Avoir sur la facture {invoice.number} : {reason}",
                    "quantity": 1,
                    "unit_price_ht_cents": totals.ht,
                    "vat_rate_bp": invoice.vat_rate_bp,
                    "total_ht_cents": totals.ht,
                }
            ],
            ensure_ascii=False,
        ),
    )
    session.add(note)
    session.flush()
    if refund_method == "credit":
        change_credit(
            session, invoice.customer_id, totals.ttc, f"Avoir {note.number}", credit_note_id=note.id
        )
    audit.about(
        session,
        "credit_note.issued",
        note,
        actor=issued_by,
        number=note.number,
        invoice=invoice.number,
    )
    return note


def change_credit(
    session: Session,
    customer_id: int,
    amount_cents: int,
    reason: str,
    *,
    payment_id: int | None = None,
    credit_note_id: int | None = None,
) -> int:
    """Move account credit (signed cents); refuses to go below zero. Returns the balance."""
    customer = session.exec(
        select(Customer).where(Customer.id == customer_id).with_for_update(key_share=True)
    ).one()
    balance = customer.credit_balance_cents + amount_cents
    if balance < 0:
        raise ValueError("not enough account credit")
    customer.credit_balance_cents = balance
    session.add(customer)
    session.add(
        CreditLedgerEntry(
            customer_id=customer_id,
            amount_cents=amount_cents,
            reason=reason,
            payment_id=payment_id,
            credit_note_id=credit_note_id,
            created_at=clock.now(),
        )
    )
    return balance


# ---------------------------------------------------------------- reading


@dataclass
class InvoiceListRow:
    invoice: Invoice
    description: str  # what was bought, from its lines
    credited_ttc_cents: int  # by credit notes since

    @property
    def status(self) -> str:
        """paid | partly_credited | credited."""
        if self.credited_ttc_cents <= 0:
            return "paid"
        if self.credited_ttc_cents < self.invoice.total_ttc_cents:
            return "partly_credited"
        return "credited"


DESCRIPTION_MAX = 120


def customer_invoices(customer_id: int, page: int = 1, *, year: int | None = None) -> Page:
    """One page of the customer's invoices (of one year, if given), newest first, each with
    what it was for and what credit notes took back since: three queries a page."""
    where = [Invoice.customer_id == customer_id]
    if year is not None:
        where.append(Invoice.year == year)
    with read_session() as session:
        found = paginate(
            session,
            select(Invoice)
            .where(*where)
            .order_by(col(Invoice.issued_at).desc(), col(Invoice.id).desc()),
            page,
        )
        ids = [invoice.id for invoice in found.rows]
        lines: dict[int, list[str]] = {}
        for invoice_id, text in session.exec(
            select(InvoiceLine.invoice_id, InvoiceLine.description)
            .where(col(InvoiceLine.invoice_id).in_(ids))
            .order_by(InvoiceLine.id)
        ):
            lines.setdefault(invoice_id, []).append(text)
        credited = dict(
            session.exec(
                select(CreditNote.invoice_id, func.sum(CreditNote.total_ttc_cents))
                .where(col(CreditNote.invoice_id).in_(ids))
                .group_by(CreditNote.invoice_id)
            ).all()
        )
    found.rows = [
        InvoiceListRow(
            invoice,
            _shortened(" ; ".join(lines.get(invoice.id, []))),
            int(credited.get(invoice.id) or 0),
        )
        for invoice in found.rows
    ]
    return found


def _shortened(text: str) -> str:
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1] + "…"


def customer_invoice_years(customer_id: int) -> list[int]:
    """The years the customer has invoices in, latest first (the list's year filter)."""
    with read_session() as session:
        return list(
            session.exec(
                select(Invoice.year)
                .where(Invoice.customer_id == customer_id)
                .distinct()
                .order_by(col(Invoice.year).desc())
            ).all()
        )


def customer_unpaid_orders(customer_id: int, limit: int = LIST_LIMIT) -> list[Order]:
    with read_session() as session:
        return list(
            session.exec(
                select(Order)
                .where(Order.customer_id == customer_id, Order.status == OrderStatus.UNPAID)
                .order_by(col(Order.created_at).desc())
                .limit(limit)
            ).all()
        )


def customer_credit_notes(customer_id: int, page: int = 1) -> Page:
    """One page of the customer's credit notes, newest first."""
    with read_session() as session:
        return paginate(
            session,
            select(CreditNote)
            .where(CreditNote.customer_id == customer_id)
            .order_by(col(CreditNote.issued_at).desc(), col(CreditNote.id).desc()),
            page,
        )


def product_invoices(customer_id: int, product_id: int, limit: int = LIST_LIMIT) -> list[Invoice]:
    """The invoices with a line about this product (the customer's own only)."""
    params = {"customer_id": customer_id, "product_id": product_id, "size": limit}
    return read_models(Invoice, _product_invoices(), params)


@functools.cache
def _product_invoices():
    """Built once: a product page reads it at each opening."""
    return (
        select(Invoice)
        .join(OrderLine, col(OrderLine.order_id) == col(Invoice.order_id))
        .where(
            Invoice.customer_id == bindparam("customer_id"),
            OrderLine.product_id == bindparam("product_id"),
        )
        .distinct()
        .order_by(col(Invoice.issued_at).desc())
        .limit(bindparam("size", type_=Integer))
    )


def order_reference(order: Order) -> str:
    return f"BC-{order.id:06d}"


def invoice_of_order(session: Session, order_id: int) -> Invoice | None:
    return session.exec(select(Invoice).where(Invoice.order_id == order_id)).first()


def unpaid_order_of(customer_id: int, order_id: int) -> Order | None:
    """The customer's own unpaid order form, or None (someone else's looks the same)."""
    with read_session() as session:
        order = session.get(Order, order_id)
        if order is None or order.customer_id != customer_id or order.status != OrderStatus.UNPAID:
            return None
        return order
