"""Staff work on money: every order form, invoice and credit note, filtered; recording a
transfer or a cheque; issuing a credit note; adding account credit with a reason.
Nothing is ever deleted."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.billing.checkout import PaymentOutcome, record_offline_payment
from o2portal.billing.listing import invoice_conditions
from o2portal.billing.models import ORDER_STATUSES, CreditNote, Invoice, Order
from o2portal.core import audit, receipts
from o2portal.core.db import existing, read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.money import parse_euros
from o2portal.core.paging import Page, paginate
from o2portal.core.permissions import Actor
from o2portal.core.search import starts_with
from o2portal.core.validation import clean_text

PAGE_SIZE = 25


def list_order_forms(
    actor: Actor, *, status: str = "unpaid", method: str = "", query: str = "", page: int = 1
) -> Page:
    where = []
    if status in ORDER_STATUSES:
        where.append(Order.status == status)
    if method in ("card", "credit", "transfer", "cheque"):
        where.append(Order.payment_method == method)
    text = (query or "").strip().lower()[:100]
    if text.upper().startswith("BC-") and text[3:].isdigit():
        where.append(Order.id == int(text[3:]))
    elif text:
        where.append(starts_with(col(Customer.email), text))
    with read_session() as session:
        actor.staff()
        base = select(Order, Customer).join(Customer, col(Customer.id) == col(Order.customer_id))
        return paginate(
            session,
            base.where(*where).order_by(col(Order.created_at).desc()),
            page,
            count=select(func.count())
            .select_from(Order)
            .join(Customer, col(Customer.id) == col(Order.customer_id))
            .where(*where),
        )


def list_invoices(actor: Actor, *, query: str = "", page: int = 1) -> Page:
    with read_session() as session:
        actor.staff()
        where = invoice_conditions(query)
        base = select(Invoice, Customer).join(
            Customer, col(Customer.id) == col(Invoice.customer_id)
        )
        return paginate(
            session,
            base.where(*where).order_by(col(Invoice.issued_at).desc()),
            page,
            count=select(func.count())
            .select_from(Invoice)
            .join(Customer, col(Customer.id) == col(Invoice.customer_id))
            .where(*where),
        )


def list_credit_notes(actor: Actor, page: int = 1) -> Page:
    with read_session() as session:
        actor.staff()
        return paginate(
            session,
            select(CreditNote, Customer)
            .join(Customer, col(Customer.id) == col(CreditNote.customer_id))
            .order_by(col(CreditNote.issued_at).desc()),
            page,
            count=select(func.count()).select_from(CreditNote),
        )


def mark_paid(
    actor: Actor, order_id: int, method: str, reference: str, *, ip=None
) -> PaymentOutcome:
    """An admin records a transfer or a cheque, with the bank's reference of the transfer
    or the cheque's number (kept on the payment and in the audit)."""
    actor.admin()
    reference = clean_text("reference", reference, required=True, max_length=100)
    return record_offline_payment(
        staff=actor, order_id=order_id, method=method, reference=reference, ip=ip
    )


def credit_invoice(
    actor: Actor, invoice_id: int, amount_ht_text: str, reason: str, refund_method: str = "credit"
) -> CreditNote:
    """A credit note for part or all of an invoice; the amount is typed in euros HT."""
    reason = clean_text("reason", reason, required=True, max_length=300)
    cents = parse_euros(amount_ht_text, "amount")
    if refund_method not in ("credit", "card", "transfer"):
        raise InvalidInput({"refund_method": "error.choice_invalid"})
    with transaction() as session:
        staff = actor.admin()
        invoice = existing(session, Invoice, invoice_id, "no such invoice")
        try:
            return billing.issue_credit_note(
                session,
                invoice,
                amount_ht_cents=cents,
                reason=reason,
                refund_method=refund_method,
                issued_by=staff,
            )
        except ValueError:
            raise InvalidInput({"amount": "error.credit_too_much"}) from None


def customer_name(customer: Customer) -> str:
    return f"{customer.display_name} <{customer.email}>"


# The most account credit one addition may give (a larger sum is a refund or a credit note).
MAX_CREDIT_CENTS = 1_000_000


def add_credit(
    actor: Actor, customer_id: int, amount_text: str, reason: str, *, key: str, ip=None
) -> int:
    """An admin adds account credit to a customer (a goodwill gesture, a payment received
    twice…), with a reason, in the credit ledger and the audit. The form's `key`: the
    same form sent twice adds once and reads the first balance. Returns the balance."""
    actor.admin()
    key = receipts.clean_key(key)
    reason = clean_text("credit_reason", reason, required=True, max_length=300)
    cents = parse_euros(amount_text, "credit_amount")
    if cents > MAX_CREDIT_CENTS:
        raise InvalidInput({"credit_amount": "admin.credit_range"})
    with transaction() as session:
        staff = actor.admin()
        # The customer's row first: the same form sent twice at once waits here, then
        # finds the first one's receipt.
        customer = session.exec(
            select(Customer).where(Customer.id == customer_id).with_for_update(key_share=True)
        ).first()
        if customer is None or customer.deleted_at is not None:
            raise NotAllowed("no such customer")
        done = receipts.receipt(session, key, staff.id, "staff.credit_added")
        if done is not None:
            return int(done["balance"])
        balance = billing.change_credit(
            session, customer.id, cents, f"Crédit ajouté par l'équipe : {reason}"
        )
        receipts.record_receipt(
            session, key, staff.id, "staff.credit_added", {"balance": str(balance)}
        )
        audit.about(
            session,
            "staff.credit_added",
            customer,
            actor=staff,
            ip=ip,
            amount_cents=cents,
            reason=reason,
        )
        return balance
