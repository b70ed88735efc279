"""The month's VAT report, for the French return (CA3) and the EU list of services
(DES): sales HT and VAT collected by rate, the reverse-charged sales to EU businesses by
buyer (their VAT number and country), the sales outside the EU by country, and the credit
notes of the month, shown on their own and subtracted. Its totals are the sum of the
month's invoices less the month's credit notes, to the cent.

A document belongs to the month it was issued in, in Paris time. What it is comes from
the document itself, as issued: its rate, its VAT mention and the billing identity it
froze (never the customer's file of today)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import func
from sqlmodel import Session, col, select

from o2portal.billing.invoices import REVERSE_CHARGE_MENTION
from o2portal.billing.models import CreditNote, Invoice
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.money import EU_COUNTRIES
from o2portal.core.permissions import Actor
from o2portal.reporting.staff_dashboard import last_months

# What a sale is for VAT.
TAXED, REVERSE_CHARGE, OUTSIDE_EU = "taxed", "reverse_charge", "outside_eu"
# The most rows of a list the page shows (the CSV holds them all).
LIST_LIMIT = 50


@dataclass
class Sums:
    """Invoiced and credited, HT and VAT, in cents."""

    invoiced_ht: int = 0
    invoiced_vat: int = 0
    credited_ht: int = 0
    credited_vat: int = 0

    @property
    def net_ht(self) -> int:
        return self.invoiced_ht - self.credited_ht

    @property
    def net_vat(self) -> int:
        return self.invoiced_vat - self.credited_vat

    def add(self, ht: int, vat: int, *, credit: bool) -> None:
        if credit:
            self.credited_ht += ht
            self.credited_vat += vat
        else:
            self.invoiced_ht += ht
            self.invoiced_vat += vat


@dataclass
class Section:
    """One line of the return: a kind of sale at one rate."""

    kind: str  # taxed | reverse_charge | outside_eu
    rate_bp: int
    sums: Sums = field(default_factory=Sums)


@dataclass
class Buyer:
    """A buyer of reverse-charged services, or a country outside the EU."""

    name: str
    vat_number: str
    country: str
    sums: Sums = field(default_factory=Sums)
    documents: int = 0


@dataclass
class Credit:
    id: int
    number: str
    issued_at: datetime
    invoice_number: str
    customer: str
    kind: str
    ht: int
    vat: int
    ttc: int


@dataclass
class VatReport:
    year: int
    month: int
    sections: list[Section]
    buyers: list[Buyer]  # reverse charge, by VAT number
    countries: list[Buyer]  # outside the EU, by country
    credits: list[Credit]
    invoices: int  # how many
    invoiced_ttc: int
    credited_ttc: int

    @property
    def total(self) -> Sums:
        total = Sums()
        for section in self.sections:
            total.add(section.sums.invoiced_ht, section.sums.invoiced_vat, credit=False)
            total.add(section.sums.credited_ht, section.sums.credited_vat, credit=True)
        return total

    @property
    def net_ttc(self) -> int:
        return self.invoiced_ttc - self.credited_ttc


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in Paris time, as UTC instants [start, end)."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return tuple(  # type: ignore[return-value]
        datetime.combine(d, time(0, 0), tzinfo=clock.PARIS).astimezone(UTC) for d in (start, end)
    )


def kind_of(rate_bp: int, mention: str | None, billed: dict) -> str:
    """Taxed when VAT was charged; without VAT, a reverse charge when the invoice says so
    (or, for a document without a mention, when the buyer was an EU business outside
    France), else a sale outside the EU."""
    if rate_bp > 0:
        return TAXED
    if mention == REVERSE_CHARGE_MENTION:
        return REVERSE_CHARGE
    country = (billed.get("country") or "FR").upper()
    if mention is None and country in EU_COUNTRIES and country != "FR":
        return REVERSE_CHARGE
    return OUTSIDE_EU


def _section(sections: dict, kind: str, rate_bp: int) -> Sums:
    return sections.setdefault((kind, rate_bp), Section(kind, rate_bp)).sums


def _zero_rated(
    session: Session, start: datetime, end: datetime, sections: dict, buyers: dict, countries
):
    """The month's invoices without VAT, one by one: whose and where from."""
    rows = session.exec(
        select(Invoice.total_ht_cents, Invoice.vat_mention, Invoice.customer_snapshot_json).where(
            col(Invoice.issued_at) >= start,
            col(Invoice.issued_at) < end,
            Invoice.vat_rate_bp == 0,
        )
    ).all()
    for ht, mention, snapshot in rows:
        _place(ht, 0, mention, json.loads(snapshot or "{}"), sections, buyers, countries, False)


def _place(ht, vat, mention, billed, sections, buyers, countries, credit: bool) -> str:
    kind = kind_of(0, mention, billed)
    _section(sections, kind, 0).add(ht, vat, credit=credit)
    country = (billed.get("country") or "").upper()
    if kind == REVERSE_CHARGE:
        number = billed.get("vat_number") or ""
        buyer = buyers.setdefault(number, Buyer(billed.get("name") or "", number, country))
    else:
        buyer = countries.setdefault(country, Buyer("", "", country))
    buyer.sums.add(ht, vat, credit=credit)
    buyer.documents += 1
    return kind


def vat_report(actor: Actor, year: int, month: int) -> VatReport:
    """The report of one month (admins)."""
    actor.admin()
    start, end = month_bounds(year, month)
    sections: dict[tuple[str, int], Section] = {}
    buyers: dict[str, Buyer] = {}
    countries: dict[str, Buyer] = {}
    in_month = (col(Invoice.issued_at) >= start, col(Invoice.issued_at) < end)
    with read_session() as session:
        # The taxed sales, summed by the database, rate by rate.
        for rate_bp, ht, vat in session.exec(
            select(
                Invoice.vat_rate_bp,
                func.sum(Invoice.total_ht_cents),
                func.sum(Invoice.total_vat_cents),
            )
            .where(*in_month, Invoice.vat_rate_bp > 0)
            .group_by(Invoice.vat_rate_bp)
        ).all():
            _section(sections, TAXED, rate_bp).add(int(ht), int(vat), credit=False)
        _zero_rated(session, start, end, sections, buyers, countries)
        count, ttc = session.exec(
            select(func.count(), func.coalesce(func.sum(Invoice.total_ttc_cents), 0)).where(
                *in_month
            )
        ).one()
        credits = _credits(session, start, end, sections, buyers, countries)
    order = {TAXED: 0, REVERSE_CHARGE: 1, OUTSIDE_EU: 2}
    return VatReport(
        year,
        month,
        sorted(sections.values(), key=lambda s: (order[s.kind], -s.rate_bp)),
        sorted(buyers.values(), key=lambda b: (b.country, b.vat_number)),
        sorted(countries.values(), key=lambda b: b.country),
        credits,
        int(count),
        int(ttc),
        sum(c.ttc for c in credits),
    )


def _credits(session, start, end, sections, buyers, countries) -> list[Credit]:
    """The month's credit notes, whatever the month of their invoice: each is subtracted
    from the line its invoice was counted in."""
    rows = session.exec(
        select(
            CreditNote,
            Invoice.number,
            Invoice.vat_mention,
            Invoice.customer_snapshot_json,
        )
        .join(Invoice, col(Invoice.id) == col(CreditNote.invoice_id))
        .where(col(CreditNote.issued_at) >= start, col(CreditNote.issued_at) < end)
        .order_by(col(CreditNote.issued_at), col(CreditNote.id))
    ).all()
    credits = []
    for note, invoice_number, mention, snapshot in rows:
        billed = json.loads(snapshot or "{}")
        ht, vat = note.total_ht_cents, note.total_vat_cents
        if note.vat_rate_bp > 0:
            kind = TAXED
            _section(sections, TAXED, note.vat_rate_bp).add(ht, vat, credit=True)
        else:
            kind = _place(ht, vat, mention, billed, sections, buyers, countries, True)
        credits.append(
            Credit(
                note.id,
                note.number,
                note.issued_at,
                invoice_number,
                billed.get("name") or "",
                kind,
                ht,
                vat,
                note.total_ttc_cents,
            )
        )
    return credits


def report_months(count: int = 24) -> list[tuple[int, int]]:
    """The months one may pick, this one first."""
    return list(reversed(last_months(count)))


def previous_month() -> tuple[int, int]:
    """The month whose return is due now."""
    return report_months(2)[1]
