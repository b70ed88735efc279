"""Staff's CSV exports of the invoices, the credit notes and the customers, filtered as
the staff pages list them (the same conditions: billing/listing.py,
accounts/customer_search.py). Each export is audited (who, what, filters, how many rows)
before its first byte is sent; its rows are those that existed then (ids up to the
largest one at that moment), so that the count in the audit is the file's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from o2portal.accounts.customer_search import customer_conditions
from o2portal.accounts.models import Customer
from o2portal.billing.listing import invoice_conditions
from o2portal.billing.models import CreditNote, Invoice
from o2portal.core import audit, clock
from o2portal.core.db import transaction
from o2portal.core.i18n import translate
from o2portal.core.permissions import Actor
from o2portal.reporting.csv_export import amount, csv_chunks, day, in_batches, rate
from o2portal.reporting.vat_report import Sums, vat_report

KINDS = ("invoices", "credit-notes", "customers")


@dataclass
class Export:
    filename: str
    rows: int
    chunks: Iterator[bytes]


def _titles(keys: tuple[str, ...], lang: str) -> list[str]:
    return [translate(f"csv.{key}", lang) for key in keys]


def _started(actor: Actor, kind: str, model, joined, where: list, filters: dict, ip) -> tuple:
    """Audit the export and fix its rows: (the largest id it holds, how many rows)."""
    with transaction() as session:
        staff = actor.staff()
        upto = session.exec(select(func.max(model.id))).one() or 0
        counted = select(func.count()).select_from(model)
        if joined is not None:
            counted = counted.join(Customer, col(Customer.id) == joined)
        total = session.exec(counted.where(*where, col(model.id) <= upto)).one()
        audit.record(
            session, f"staff.export.{kind}", actor=staff, ip=ip, filters=filters, rows=total
        )
    return upto, total


def _filename(kind: str) -> str:
    return f"o2portal-{kind}-{clock.today().isoformat()}.csv"


def _payment(method: str, lang: str) -> str:
    return translate(f"pay.{method}", lang)


INVOICE_COLUMNS = (
    "number",
    "date",
    "customer",
    "email",
    "country",
    "vat_number",
    "total_ht",
    "vat_rate",
    "vat",
    "total_ttc",
    "payment",
    "vat_mention",
)


def export_invoices(actor: Actor, query: str, lang: str, *, ip=None) -> Export:
    """The invoices the invoices page lists for this search, newest first."""
    query = (query or "").strip()[:100]
    where = invoice_conditions(query)
    upto, total = _started(
        actor, "invoices", Invoice, Invoice.customer_id, where, {"query": query}, ip
    )
    rows = in_batches(
        select(Invoice, Customer)
        .join(Customer, col(Customer.id) == col(Invoice.customer_id))
        .where(*where, col(Invoice.id) <= upto),
        col(Invoice.id),
        lambda row: row[0].id,
    )

    def lines():
        for invoice, customer in rows:
            billed = json.loads(invoice.customer_snapshot_json or "{}")
            yield [
                invoice.number,
                day(invoice.issued_at),
                billed.get("name") or customer.display_name,
                customer.email,
                billed.get("country") or customer.country,
                billed.get("vat_number") or "",
                amount(invoice.total_ht_cents),
                rate(invoice.vat_rate_bp),
                amount(invoice.total_vat_cents),
                amount(invoice.total_ttc_cents),
                _payment(invoice.payment_method, lang),
                invoice.vat_mention or "",
            ]

    chunks = csv_chunks([(_titles(INVOICE_COLUMNS, lang), lines())])
    return Export(_filename("factures" if lang == "fr" else "invoices"), total, chunks)


CREDIT_NOTE_COLUMNS = (
    "number",
    "date",
    "invoice",
    "customer",
    "email",
    "reason",
    "total_ht",
    "vat_rate",
    "vat",
    "total_ttc",
    "refund",
)


def export_credit_notes(actor: Actor, lang: str, *, ip=None) -> Export:
    """Every credit note, newest first (the invoices page lists them all)."""
    upto, total = _started(actor, "credit_notes", CreditNote, None, [], {}, ip)
    rows = in_batches(
        select(CreditNote, Invoice.number, Customer)
        .join(Invoice, col(Invoice.id) == col(CreditNote.invoice_id))
        .join(Customer, col(Customer.id) == col(CreditNote.customer_id))
        .where(col(CreditNote.id) <= upto),
        col(CreditNote.id),
        lambda row: row[0].id,
    )

    def lines():
        for note, invoice_number, customer in rows:
            yield [
                note.number,
                day(note.issued_at),
                invoice_number,
                customer.display_name,
                customer.email,
                note.reason,
                amount(note.total_ht_cents),
                rate(note.vat_rate_bp),
                amount(note.total_vat_cents),
                amount(note.total_ttc_cents),
                _payment(note.refund_method, lang),
            ]

    chunks = csv_chunks([(_titles(CREDIT_NOTE_COLUMNS, lang), lines())])
    return Export(_filename("avoirs" if lang == "fr" else "credit-notes"), total, chunks)


CUSTOMER_COLUMNS = (
    "customer_number",
    "last_name",
    "first_name",
    "company",
    "email",
    "phone",
    "address",
    "postal_code",
    "city",
    "country",
    "account_type",
    "siret",
    "vat_number",
    "credit",
    "signed_up",
    "state",
)


def export_customers(actor: Actor, query: str, lang: str, *, ip=None) -> Export:
    """The customers the customers page finds for this search (every page of it)."""
    query = (query or "").strip()[:100]
    where = customer_conditions(query)
    upto, total = _started(actor, "customers", Customer, None, where, {"query": query}, ip)
    rows = in_batches(
        select(Customer).where(*where, col(Customer.id) <= upto),
        col(Customer.id),
        lambda customer: customer.id,
    )

    def lines():
        for c in rows:
            yield [
                c.id,
                c.last_name,
                c.first_name,
                c.company_name or "",
                c.email,
                c.phone,
                " ".join(part for part in (c.address_line1, c.address_line2) if part),
                c.postal_code,
                c.city,
                c.country,
                translate(f"field.account_type.{c.account_type}", lang),
                c.siret or "",
                c.vat_number or "",
                amount(c.credit_balance_cents),
                day(c.created_at),
                translate("admin.disabled" if c.disabled_at else "admin.account_active", lang),
            ]

    chunks = csv_chunks([(_titles(CUSTOMER_COLUMNS, lang), lines())])
    return Export(_filename("clients" if lang == "fr" else "customers"), total, chunks)


VAT_COLUMNS = (
    "vat_line",
    "vat_rate",
    "invoiced_ht",
    "invoiced_vat",
    "credited_ht",
    "credited_vat",
    "net_ht",
    "net_vat",
)
BUYER_COLUMNS = (
    "customer",
    "vat_number",
    "country",
    "documents",
    "invoiced_ht",
    "credited_ht",
    "net_ht",
)
CREDIT_COLUMNS = (
    "number",
    "date",
    "invoice",
    "customer",
    "vat_line",
    "total_ht",
    "vat",
    "total_ttc",
)


def _sums(sums: Sums) -> list:
    return [
        amount(sums.invoiced_ht),
        amount(sums.invoiced_vat),
        amount(sums.credited_ht),
        amount(sums.credited_vat),
        amount(sums.net_ht),
        amount(sums.net_vat),
    ]


def export_vat_report(actor: Actor, year: int, month: int, lang: str, *, ip=None) -> Export:
    """The month's VAT report as a CSV (admins): the lines by rate and their total, the
    reverse-charged buyers, the sales outside the EU, the credit notes."""
    report = vat_report(actor, year, month)
    with transaction() as session:
        audit.record(
            session,
            "staff.export.vat",
            actor=actor.admin(),
            ip=ip,
            filters={"month": f"{year}-{month:02d}"},
            rows=len(report.sections),
        )

    def line(kind: str) -> str:
        return translate(f"vat.kind.{kind}", lang)

    sections = [[line(s.kind), rate(s.rate_bp), *_sums(s.sums)] for s in report.sections]
    sections.append([translate("vat.total", lang), "", *_sums(report.total)])
    tables = [(_titles(VAT_COLUMNS, lang), sections)]
    if report.buyers:
        buyers = [
            [b.name, b.vat_number, b.country, b.documents, *_sums(b.sums)[0:5:2]]
            for b in report.buyers
        ]
        tables.append((_titles(BUYER_COLUMNS, lang), buyers))
    if report.countries:
        countries = [
            [line("outside_eu"), "", c.country, c.documents, *_sums(c.sums)[0:5:2]]
            for c in report.countries
        ]
        tables.append((_titles(BUYER_COLUMNS, lang), countries))
    if report.credits:
        credits = [
            [
                c.number,
                day(c.issued_at),
                c.invoice_number,
                c.customer,
                line(c.kind),
                amount(c.ht),
                amount(c.vat),
                amount(c.ttc),
            ]
            for c in report.credits
        ]
        tables.append((_titles(CREDIT_COLUMNS, lang), credits))
    name = "tva" if lang == "fr" else "vat"
    return Export(f"o2portal-{name}-{year}-{month:02d}.csv", len(sections), csv_chunks(tables))
