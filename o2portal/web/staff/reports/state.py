"""Staff (admins): the month's VAT report and the unpaid order forms by age."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date

import reflex as rx
from babel.dates import format_date

from o2portal.core import formatting
from o2portal.core.i18n import translate
from o2portal.reporting.aging import aging_report
from o2portal.reporting.vat_report import (
    LIST_LIMIT,
    Sums,
    previous_month,
    report_months,
    vat_report,
)
from o2portal.web.lists import Paged
from o2portal.web.session import load_staff

ADMINS = ("admin",)


def _month_name(year: int, month: int, lang: str) -> str:
    locale = "fr_FR" if lang == "fr" else "en_GB"
    return format_date(date(year, month, 1), format="MMMM y", locale=locale).capitalize()


def _sums(sums: Sums, lang: str) -> dict[str, str]:
    money = formatting.money
    return {
        "invoiced_ht": money(sums.invoiced_ht, lang),
        "invoiced_vat": money(sums.invoiced_vat, lang),
        "credited_ht": money(sums.credited_ht, lang),
        "credited_vat": money(sums.credited_vat, lang),
        "net_ht": money(sums.net_ht, lang),
        "net_vat": money(sums.net_vat, lang),
    }


class VatReportState(rx.State):
    month: str = ""  # yyyy-mm
    months: list[list[str]] = []  # [value, name]
    sections: list[dict[str, str]] = []
    total: dict[str, str] = {}
    buyers: list[dict[str, str]] = []
    countries: list[dict[str, str]] = []
    credits: list[dict[str, str]] = []
    more: str = ""  # rows left out of the lists, said in words
    summary: str = ""
    export_href: str = ""

    async def _fill(self) -> None:
        user, lang = await load_staff(self, ADMINS)
        offered = report_months()
        self.months = [[f"{y}-{m:02d}", _month_name(y, m, lang)] for y, m in offered]
        year, month = next(
            ((y, m) for y, m in offered if f"{y}-{m:02d}" == self.month), previous_month()
        )
        self.month = f"{year}-{month:02d}"
        report = await asyncio.to_thread(vat_report, user.actor, year, month)
        kind = {
            k: translate(f"vat.kind.{k}", lang) for k in ("taxed", "reverse_charge", "outside_eu")
        }
        self.sections = [
            {
                "line": kind[s.kind],
                "rate": formatting.percent(s.rate_bp, lang),
                **_sums(s.sums, lang),
            }
            for s in report.sections
        ]
        self.total = _sums(report.total, lang)

        def buyer(b) -> dict[str, str]:
            return {
                "name": b.name,
                "vat_number": b.vat_number,
                "country": b.country,
                "documents": str(b.documents),
                **_sums(b.sums, lang),
            }

        self.buyers = [buyer(b) for b in report.buyers[:LIST_LIMIT]]
        self.countries = [buyer(c) for c in report.countries[:LIST_LIMIT]]
        self.credits = [
            {
                "id": str(c.id),
                "number": c.number,
                "date": formatting.day(c.issued_at, lang),
                "invoice": c.invoice_number,
                "customer": c.customer,
                "line": kind[c.kind],
                "ht": formatting.money(-c.ht, lang),
                "vat": formatting.money(-c.vat, lang),
                "ttc": formatting.money(-c.ttc, lang),
            }
            for c in report.credits[:LIST_LIMIT]
        ]
        left_out = sum(
            max(0, len(rows) - LIST_LIMIT)
            for rows in (report.buyers, report.countries, report.credits)
        )
        self.more = translate("vat.more", lang, count=left_out) if left_out else ""
        self.summary = translate(
            "vat.summary",
            lang,
            invoices=report.invoices,
            invoiced=formatting.money(report.invoiced_ttc, lang),
            credits=len(report.credits),
            credited=formatting.money(report.credited_ttc, lang),
            net=formatting.money(report.net_ttc, lang),
        )
        self.export_href = f"/files/exports/vat.csv?month={self.month}"

    @rx.event
    async def load(self):
        await self._fill()

    @rx.event
    async def set_month(self, value: str):
        """Another month (one of those offered; anything else shows the default one)."""
        self.month = value[:7] if isinstance(value, str) else ""
        await self._fill()


@dataclasses.dataclass
class FormLink:
    id: str
    reference: str
    age: str
    amount: str


@dataclasses.dataclass
class AgingLine:
    id: str
    name: str
    email: str
    b0: str
    b1: str
    b2: str
    b3: str
    total: str
    forms: list[FormLink]


class AgingState(Paged, rx.State):
    rows: list[AgingLine] = []
    buckets: list[str] = []
    grand_total: str = ""
    count: str = ""

    async def _fill(self, page: int) -> None:
        user, lang = await load_staff(self, ADMINS)
        report = await asyncio.to_thread(aging_report, user.actor, page)
        self.page, self.pages, self.total = report.page, report.pages, report.customers
        money = formatting.money
        self.rows = [
            AgingLine(
                str(r.customer.id),
                r.customer.display_name,
                r.customer.email,
                *[money(v, lang) for v in r.buckets],
                money(r.total, lang),
                [
                    FormLink(
                        str(f.id),
                        f"BC-{f.id:06d}",
                        translate("aging.age", lang, days=f.age_days),
                        money(f.ttc, lang),
                    )
                    for f in r.forms
                ],
            )
            for r in report.rows
        ]
        self.buckets = [money(v, lang) for v in report.buckets]
        self.grand_total = money(report.total, lang)
        self.count = translate("aging.customers", lang, count=report.customers)

    @rx.event
    async def load(self):
        await self._fill(1)
