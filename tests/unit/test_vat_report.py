"""The month's VAT report adds up to the month's invoices less its credit notes, to the
cent, on data like the demo's: a French consumer (20 %), a Belgian business with a valid
VAT number (reverse charge), a Swiss business (outside the EU), a credit note in the
month (one of them on an invoice of the month before), and documents just before and just
after the month (Paris time) that must not count. Checked against a sum made here, over
the documents themselves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from o2portal.billing.models import CreditNote, Invoice
from o2portal.billing.orders import CartItem
from o2portal.billing.payments import PaymentChoice
from o2portal.billing.staff import credit_invoice
from o2portal.core import clock
from o2portal.core.db import read_session
from o2portal.core.errors import NotAllowed
from o2portal.demo.seed import seed_demo
from o2portal.reporting.aging import aging_report, bucket_of
from o2portal.reporting.vat_report import (
    OUTSIDE_EU,
    REVERSE_CHARGE,
    TAXED,
    report_months,
    vat_report,
)
from tests.unit.helpers import actor
from tests.unit.test_orders_rules import order, person


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def _bought(buyer: int, domain: str, key: str, moment: datetime) -> str:
    with clock.frozen_at(moment):
        outcome = order(buyer, [CartItem("domain", domain=domain, action="register")], key)
    assert outcome.status == "paid", outcome
    return outcome.invoice_number


def _invoice(number: str) -> Invoice:
    with read_session() as session:
        return session.exec(select(Invoice).where(Invoice.number == number)).one()


@pytest.fixture
def october(db):
    """Documents around October 2026 (Paris: UTC+2 until the 25th, then UTC+1)."""
    french = person("marie@example.fr", country="FR")
    belgian = person(
        "brasserie@example.be",
        country="BE",
        account_type="entreprise",
        company_name="Brasserie du Canal SRL",
        vat_number="BE0776091951",
    )
    swiss = person(
        "chocolat@example.ch", country="CH", account_type="entreprise", company_name="Choco SA"
    )
    admin = actor(person("compta@o2portal.example", role="admin"))
    # 30 September, 23:30 in Paris: September's.
    september = _bought(french, "septembre.fr", "vat-k-0001", at(2026, 9, 30, 21, 30))
    # 1 October, 00:30 in Paris: October's, although still 30 September in UTC.
    first = _bought(french, "premier.fr", "vat-k-0002", at(2026, 9, 30, 22, 30))
    be = _bought(belgian, "brasserie-canal.com", "vat-k-0003", at(2026, 10, 12, 9, 0))
    ch = _bought(swiss, "choco-suisse.com", "vat-k-0004", at(2026, 10, 20, 9, 0))
    french_second = _bought(french, "second.fr", "vat-k-0005", at(2026, 10, 28, 9, 0))
    # 1 November, 00:30 in Paris: November's.
    _bought(french, "novembre.fr", "vat-k-0006", at(2026, 10, 31, 23, 30))
    with clock.frozen_at(at(2026, 10, 15, 10, 0)):
        # A credit note of October on September's invoice, and one on the Belgian's.
        credit_invoice(admin, _invoice(september).id, "2,00", "Geste commercial")
        credit_invoice(admin, _invoice(be).id, "1,50", "Remise")
    with clock.frozen_at(at(2026, 11, 2, 10, 0)):
        # November's credit note on an October invoice: not October's.
        credit_invoice(admin, _invoice(first).id, "1,00", "Plus tard")
    return {
        "admin": admin,
        "in_month": [first, be, ch, french_second],
        "customers": (french, belgian, swiss),
    }


def _independent_sums(year: int, month: int) -> dict[str, int]:
    """The month's invoices less its credit notes, summed here from every document."""

    def of_month(moment: datetime) -> bool:
        local = moment.astimezone(clock.PARIS)
        return (local.year, local.month) == (year, month)

    with read_session() as session:
        invoices = [i for i in session.exec(select(Invoice)).all() if of_month(i.issued_at)]
        notes = [n for n in session.exec(select(CreditNote)).all() if of_month(n.issued_at)]
    return {
        "invoices": len(invoices),
        "notes": len(notes),
        "ht": sum(i.total_ht_cents for i in invoices) - sum(n.total_ht_cents for n in notes),
        "vat": sum(i.total_vat_cents for i in invoices) - sum(n.total_vat_cents for n in notes),
        "ttc": sum(i.total_ttc_cents for i in invoices) - sum(n.total_ttc_cents for n in notes),
    }


def test_the_report_adds_up_to_the_months_documents(october):
    report = vat_report(october["admin"], 2026, 10)
    expected = _independent_sums(2026, 10)
    assert expected["invoices"] == 4 and expected["notes"] == 2
    assert report.invoices == 4 and len(report.credits) == 2
    assert (report.total.net_ht, report.total.net_vat) == (expected["ht"], expected["vat"])
    assert report.net_ttc == expected["ttc"]
    assert report.total.net_ht + report.total.net_vat == report.net_ttc


def test_each_sale_is_on_its_line_and_credit_notes_are_subtracted(october):
    report = vat_report(october["admin"], 2026, 10)
    lines = {(s.kind, s.rate_bp): s.sums for s in report.sections}
    assert set(lines) == {(TAXED, 2000), (REVERSE_CHARGE, 0), (OUTSIDE_EU, 0)}
    first, be, ch, second = (_invoice(n) for n in october["in_month"])
    taxed = lines[(TAXED, 2000)]
    assert taxed.invoiced_ht == first.total_ht_cents + second.total_ht_cents
    assert taxed.invoiced_vat == first.total_vat_cents + second.total_vat_cents
    # September's invoice was credited 2,00 € HT in October: October's return takes it off.
    assert (taxed.credited_ht, taxed.credited_vat) == (200, 40)
    reverse = lines[(REVERSE_CHARGE, 0)]
    assert (reverse.invoiced_ht, reverse.invoiced_vat) == (be.total_ht_cents, 0)
    assert (reverse.credited_ht, reverse.net_ht) == (150, be.total_ht_cents - 150)
    outside = lines[(OUTSIDE_EU, 0)]
    assert (outside.invoiced_ht, outside.credited_ht) == (ch.total_ht_cents, 0)
    # The Belgian buyer, by VAT number and country; the Swiss sale by country.
    [buyer] = report.buyers
    assert (buyer.name, buyer.vat_number, buyer.country) == (
        "Brasserie du Canal SRL",
        "BE0776091951",
        "BE",
    )
    assert (buyer.documents, buyer.sums.net_ht) == (2, be.total_ht_cents - 150)
    [country] = report.countries
    assert (country.country, country.sums.net_ht) == ("CH", ch.total_ht_cents)
    kinds = sorted(c.kind for c in report.credits)
    assert kinds == [REVERSE_CHARGE, TAXED]


def test_the_months_around_hold_their_own_documents(october):
    september = vat_report(october["admin"], 2026, 9)
    assert september.invoices == 1 and september.credits == []
    november = vat_report(october["admin"], 2026, 11)
    assert november.invoices == 1 and [c.ht for c in november.credits] == [100]
    for year, month in ((2026, 9), (2026, 11)):
        report = vat_report(october["admin"], year, month)
        expected = _independent_sums(year, month)
        assert (report.total.net_ht, report.total.net_vat, report.net_ttc) == (
            expected["ht"],
            expected["vat"],
            expected["ttc"],
        )


def test_only_admins_read_the_report(october):
    support = actor(person("support-tva@o2portal.example", role="support"))
    customer = actor(october["customers"][0])
    for who in (support, customer):
        with pytest.raises(NotAllowed):
            vat_report(who, 2026, 10)
        with pytest.raises(NotAllowed):
            aging_report(who)


def test_buckets_of_age():
    assert [bucket_of(d) for d in (0, 30, 31, 60, 61, 90, 91, 400)] == [0, 0, 1, 1, 2, 2, 3, 3]


def _unpaid(buyer: int, domain: str, key: str, moment: datetime) -> None:
    with clock.frozen_at(moment):
        outcome = order(
            buyer, [CartItem("domain", domain=domain, action="register")], key,
            PaymentChoice("transfer"),
        )  # fmt: skip
    assert outcome.status == "pending", outcome


def test_aging_sorts_unpaid_forms_by_age_and_customer(db):
    admin = actor(person("compta-age@o2portal.example", role="admin"))
    one = person("un@example.fr")
    two = person("deux@example.fr")
    today = at(2026, 12, 6, 10, 0)
    _unpaid(one, "jeune.fr", "age-k-0001", at(2026, 11, 10, 10, 0))  # 26 days
    _unpaid(one, "moyen.fr", "age-k-0002", at(2026, 10, 6, 10, 0))  # 61 days
    _unpaid(two, "vieux.fr", "age-k-0003", at(2026, 8, 1, 10, 0))  # 127 days
    _unpaid(
        two, "trente.fr", "age-k-0004", at(2026, 11, 5, 23, 30)
    )  # 6 Nov 00:30 in Paris: 30 days
    # A paid one is not owed.
    _bought(two, "paye.fr", "age-k-0005", at(2026, 9, 1, 10, 0))
    with clock.frozen_at(today):
        report = aging_report(admin)
    rows = {r.customer.email: r for r in report.rows}
    assert set(rows) == {"un@example.fr", "deux@example.fr"}
    first, second = rows["un@example.fr"], rows["deux@example.fr"]
    assert [f.age_days for f in first.forms] == [61, 26]
    assert first.buckets[0] == first.forms[1].ttc and first.buckets[2] == first.forms[0].ttc
    assert first.buckets[1] == first.buckets[3] == 0
    assert [f.age_days for f in second.forms] == [127, 30]
    assert second.buckets == [second.forms[1].ttc, 0, 0, second.forms[0].ttc]
    assert report.buckets == [a + b for a, b in zip(first.buckets, second.buckets, strict=True)]
    assert report.total == first.total + second.total == sum(report.buckets)
    assert report.customers == 2
    # Who owes the most comes first.
    assert [r.total for r in report.rows] == sorted((r.total for r in report.rows), reverse=True)


def test_the_report_adds_up_on_the_demo_data(db):
    """The demo has French customers, a Belgian business (reverse charge), a Swiss one
    and two credit notes, over the last months."""
    seed_demo()
    admin = actor(person("compta-demo@o2portal.example", role="admin"))
    kinds, credits = set(), 0
    for year, month in report_months(4):
        report = vat_report(admin, year, month)
        expected = _independent_sums(year, month)
        assert (report.total.net_ht, report.total.net_vat, report.net_ttc) == (
            expected["ht"],
            expected["vat"],
            expected["ttc"],
        ), (year, month)
        assert report.invoices == expected["invoices"]
        kinds |= {s.kind for s in report.sections}
        credits += len(report.credits)
        assert all(b.vat_number.startswith("BE") and b.country == "BE" for b in report.buyers)
    assert kinds == {TAXED, REVERSE_CHARGE, OUTSIDE_EU}
    assert credits == 2
