"""Invoice, credit-note and order-form PDFs for the person allowed to read them: the
customer they belong to, or staff."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from o2portal.accounts.models import Customer
from o2portal.billing.invoices import order_reference
from o2portal.billing.models import CreditNote, Invoice, InvoiceLine, Order, OrderLine, OrderStatus
from o2portal.billing.payments import OFFLINE_METHODS
from o2portal.billing.pdf import render_credit_note_pdf, render_invoice_pdf, render_order_form_pdf
from o2portal.core.db import read_session
from o2portal.core.stored_settings import payment_details, seller_identity


class DocumentNotFound(Exception):
    """No such document for this reader (missing, or someone else's: the same answer)."""


def _may_read(reader: Customer, owner_id: int) -> bool:
    return reader.acts_as_staff or reader.id == owner_id


def invoice_pdf(reader: Customer, invoice_id: int) -> tuple[str, bytes]:
    with read_session() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None or not _may_read(reader, invoice.customer_id):
            raise DocumentNotFound(invoice_id)
        lines = session.exec(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.id)
        ).all()
    return invoice.number, render_invoice_pdf(invoice, list(lines))


def credit_note_pdf(reader: Customer, note_id: int) -> tuple[str, bytes]:
    with read_session() as session:
        note = session.get(CreditNote, note_id)
        if note is None or not _may_read(reader, note.customer_id):
            raise DocumentNotFound(note_id)
        invoice = session.get(Invoice, note.invoice_id)
    return note.number, render_credit_note_pdf(note, invoice)


def order_form_pdf(reader: Customer, order_id: int) -> tuple[str, bytes]:
    """The order form with today's seller and, while unpaid, how to pay it offline."""
    with read_session() as session:
        order = session.get(Order, order_id)
        if order is None or not _may_read(reader, order.customer_id):
            raise DocumentNotFound(order_id)
        lines = session.exec(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id)
        ).all()
        seller, payment = seller_identity(session), payment_details(session)
    reference = order_reference(order)
    return reference, render_order_form_pdf(
        order, list(lines), reference=reference, seller=seller, payment=payment
    )


@dataclass(frozen=True)
class OfflinePayment:
    """How to pay an unpaid order form by transfer or cheque: what the confirmation shows."""

    order_id: int
    reference: str
    method: str  # transfer | cheque
    total_ttc_cents: int
    details: dict[str, str]  # payment_details(): holder, iban, bic, bank, cheque_…
    # The reader is the form's holder (else the contact who placed it, who pays it but
    # does not read the holder's order form: it bears their name and address).
    own: bool = True


def offline_payment(customer_id: int, order_id: int) -> OfflinePayment | None:
    """The customer's own unpaid order form to be paid by transfer or cheque, or one they
    placed for its holder as their contact, with today's bank details; None for anything
    else (someone else's looks the same as none)."""
    with read_session() as session:
        order = session.get(Order, order_id)
        if (
            order is None
            or customer_id not in (order.customer_id, order.agent_id)
            or order.status != OrderStatus.UNPAID
            or order.payment_method not in OFFLINE_METHODS
        ):
            return None
        details = payment_details(session)
    return OfflinePayment(
        order.id,
        order_reference(order),
        order.payment_method,
        order.total_ttc_cents,
        details,
        own=order.customer_id == customer_id,
    )
