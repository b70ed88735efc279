"""Staff work on money: every order form, invoice and credit note, filtered; recording a
transfer or a cheque; issuing a credit note; adding account credit with a reason.
Nothing is ever deleted."""

from __future__ import annotations

import json

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.billing import invoices as billing
from o2portal.billing.checkout import (
    PaymentOutcome,
    notify_order_form,
    record_offline_payment,
    record_vat_check,
    vat_checked,
)
from o2portal.billing.models import ORDER_STATUSES, CreditNote, Invoice, Order, OrderLine
from o2portal.billing.order_forms import write_order_form
from o2portal.catalog.pricing import PricedLine
from o2portal.core import audit, receipts
from o2portal.core.db import existing, read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.money import parse_euros, totals_for
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
    where = []
    text = (query or "").strip()[:100]
    if text.upper().startswith("F"):
        where.append(starts_with(col(Invoice.number), text.upper()))
    elif text:
        where.append(starts_with(col(Customer.email), text.lower()))
    with read_session() as session:
        actor.staff()
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


# A manual order form: a few lines, each a service outside the catalogue.
MANUAL_LINES = 10
MANUAL_QUANTITY_MAX = 999
MANUAL_TOTAL_MAX_CENTS = 10_000_000  # 100,000 € HT


def _manual_lines(lines: list[dict]) -> tuple[list[PricedLine], dict[str, str]]:
    """The typed lines (description, quantity, unit price HT), the blank ones left out;
    each error under its line's field name (description_0, quantity_0, price_0…)."""
    priced, errors = [], {}
    for number, line in enumerate(lines[:MANUAL_LINES]):
        text = {k: str(line.get(k) or "").strip() for k in ("description", "quantity", "price")}
        if not any(text.values()):
            continue
        try:
            description = clean_text(
                f"description_{number}", text["description"], required=True, max_length=300
            )
        except InvalidInput as exc:
            errors.update(exc.errors)
            description = ""
        quantity_text = text["quantity"] or "1"
        quantity = int(quantity_text) if quantity_text.isascii() and quantity_text.isdigit() else 0
        if not 1 <= quantity <= MANUAL_QUANTITY_MAX:
            errors[f"quantity_{number}"] = "error.quantity_range"
        try:
            cents = parse_euros(text["price"], f"price_{number}")
        except InvalidInput as exc:
            errors.update(exc.errors)
            cents = 0
        if cents <= 0 and f"price_{number}" not in errors:
            errors[f"price_{number}"] = "error.amount_invalid"
        if not errors:
            priced.append(
                PricedLine(
                    action="service",
                    description=description,
                    item_code="service",
                    years=0,
                    total_ht_cents=cents * quantity,
                    details={"quantity": quantity, "unit_price_ht_cents": cents},
                )
            )
    if not priced and not errors:
        errors["description_0"] = "error.required"
    if sum(line.total_ht_cents for line in priced) > MANUAL_TOTAL_MAX_CENTS:
        errors["price_0"] = "error.manual_total"
    return priced, errors


def create_manual_order(
    actor: Actor, customer_id: int, lines: list[dict], *, key: str, ip=None
) -> int:
    """An admin bills a customer for services outside the catalogue (migration work, a
    restoration from backup…): an unpaid order form with those lines, at the customer's
    VAT, mailed to them with how to pay; paid by card on /invoices or recorded by staff,
    it becomes an invoice numbered like every other. The form's `key`: the same form sent
    twice makes one order form. Returns its id."""
    actor.admin()
    key = receipts.clean_key(key)
    priced, errors = _manual_lines(lines)
    if errors:
        raise InvalidInput(errors)
    vat = vat_checked(customer_id)  # VIES may be asked: before any transaction
    try:
        return _write_manual_order(actor, customer_id, priced, key, vat, ip)
    except IntegrityError:
        # The same form sent twice at the same moment: the first one's form is the answer.
        with read_session() as session:
            order = session.exec(
                select(Order).where(Order.idempotency_key == f"manual:{key}")
            ).first()
        if order is None or order.customer_id != customer_id:
            raise
        return order.id


def _write_manual_order(
    actor: Actor, customer_id: int, priced: list[PricedLine], key: str, vat, ip
) -> int:
    with transaction() as session:
        staff = actor.admin()
        customer = session.exec(
            select(Customer).where(Customer.id == customer_id).with_for_update(key_share=True)
        ).first()
        if customer is None or customer.is_staff or customer.deleted_at is not None:
            raise NotAllowed("no such customer")
        done = receipts.receipt(session, key, staff.id, "staff.manual_order")
        if done is not None:
            return int(done["order_id"])
        rule = billing.vat_rule(customer)
        order = write_order_form(
            session,
            customer,
            kind="manual",
            key=f"manual:{key}",
            lines=priced,
            totals=totals_for([line.total_ht_cents for line in priced], rule.rate_bp),
            vat_rate_bp=rule.rate_bp,
            vat_mention=rule.mention,
        )
        record_vat_check(session, order, vat)
        for row in session.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all():
            details = json.loads(row.details_json)
            row.quantity = details["quantity"]
            row.unit_price_ht_cents = details["unit_price_ht_cents"]
            session.add(row)
        notify_order_form(session, customer, order)
        receipts.record_receipt(
            session, key, staff.id, "staff.manual_order", {"order_id": str(order.id)}
        )
        audit.about(
            session,
            "staff.manual_order",
            order,
            actor=staff,
            ip=ip,
            total_ht_cents=order.total_ht_cents,
            lines=[line.description for line in priced],
        )
        return order.id
