"""Staff pages (admins): /admin/reports/vat, the month's VAT report, and
/admin/reports/aging, the unpaid order forms by age."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.filters import filter_bar
from o2portal.web.components.forms import labelled, native_select
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import (
    csv_link,
    pager,
    rows_table,
    section,
    table_header,
    text_cells,
)
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.reports.state import AgingState as A
from o2portal.web.staff.reports.state import VatReportState as V

SUMS = ("invoiced_ht", "invoiced_vat", "credited_ht", "credited_vat", "net_ht", "net_vat")
SUM_HEADERS = [f"vat.{key}" for key in SUMS]
BUYER_SUMS = ("invoiced_ht", "credited_ht", "net_ht")


def _by_rate() -> rx.Component:
    """The lines of the return, then their total (which the documents add up to)."""
    return rx.box(
        rx.table.root(
            table_header("vat.line", "vat.rate", *SUM_HEADERS),
            rx.table.body(
                rx.foreach(
                    V.sections, lambda s: rx.table.row(*text_cells(s, "line", "rate", *SUMS))
                ),
                rx.table.row(
                    rx.table.row_header_cell(t("vat.total")),
                    rx.table.cell(""),
                    *[
                        rx.table.cell(rx.text(V.total[key], weight="bold"), id=f"vat-total-{key}")
                        for key in SUMS
                    ],
                    id="vat-total",
                ),
            ),
            variant="surface",
            width="100%",
            id="vat-sections",
        ),
        class_name="o2-table-wrap",
    )


def _buyers(title_key: str, rows, table_id: str, empty_key: str, keys: tuple) -> rx.Component:
    """Reverse-charged buyers (name, VAT number, country) or countries outside the EU:
    how many documents, invoiced, credited and net HT."""
    return section(
        title_key,
        rows_table(
            table_id,
            [f"vat.{key}" for key in (*keys, "documents", *BUYER_SUMS)],
            rows,
            lambda b: rx.table.row(*text_cells(b, *keys, "documents", *BUYER_SUMS)),
            empty_key=empty_key,
        ),
    )


def document_link(text, href) -> rx.Component:
    """A document's number, which downloads its PDF."""
    return rx.el.a(text, href=href, download="", reload_document=True, class_name="o2-pdf-link")


@staff_page(
    "/admin/reports/vat",
    roles=ADMINS_ONLY,
    title_key="admin.nav_vat_report",
    on_load=V.load,
)
def vat_report_page() -> rx.Component:
    return rx.fragment(
        filter_bar(
            labelled(
                "vat-month",
                "vat.month",
                native_select(
                    "vat-month",
                    rx.foreach(V.months, lambda m: rx.el.option(m[1], value=m[0])),
                    value=V.month,
                    on_change=V.set_month,
                ),
                min_width="12em",
            ),
            csv_link("export.csv", V.export_href, "vat-export"),
            align="end",
        ),
        rx.text(t("vat.intro"), size="2", color_scheme="gray"),
        section("vat.by_rate", _by_rate(), rx.text(V.summary, size="2", id="vat-summary")),
        _buyers(
            "vat.buyers",
            V.buyers,
            "vat-buyers",
            "vat.buyers_none",
            ("name", "vat_number", "country"),
        ),
        _buyers("vat.countries", V.countries, "vat-countries", "vat.countries_none", ("country",)),
        section(
            "vat.credits",
            rows_table(
                "vat-credits",
                ["col.number", "col.date", "csv.invoice", "vat.buyer", "vat.line"]
                + ["vat.net_ht", "vat.net_vat", "col.amount"],
                V.credits,
                lambda c: rx.table.row(
                    rx.table.cell(
                        document_link(c["number"], "/files/credit-notes/" + c["id"] + ".pdf")
                    ),
                    *text_cells(c, "date", "invoice", "customer", "line", "ht", "vat", "ttc"),
                ),
                empty_key="vat.credits_none",
            ),
        ),
        rx.cond(V.more != "", rx.text(V.more, size="2", color_scheme="gray")),
    )


def _forms(line) -> rx.Component:
    """The customer's unpaid order forms, oldest first: each a link to its PDF."""
    return rx.vstack(
        rx.foreach(
            line.forms,
            lambda f: rx.hstack(
                document_link(f.reference, "/files/order-forms/" + f.id + ".pdf"),
                rx.text(f.age, " · ", f.amount, size="1", color_scheme="gray"),
                spacing="2",
                align="center",
            ),
        ),
        spacing="1",
    )


BUCKETS = ("b0", "b1", "b2", "b3")


@staff_page(
    "/admin/reports/aging",
    roles=ADMINS_ONLY,
    title_key="admin.nav_aging",
    on_load=A.load,
)
def aging_page() -> rx.Component:
    return rx.fragment(
        rx.text(t("aging.intro"), size="2", color_scheme="gray"),
        rx.text(A.count, size="2", id="aging-count"),
        rx.cond(
            A.rows.length() > 0,
            rx.box(
                rx.table.root(
                    table_header("aging.customer", *[f"aging.{b}" for b in BUCKETS], "aging.total"),
                    rx.table.body(
                        rx.foreach(
                            A.rows,
                            lambda r: rx.table.row(
                                rx.table.cell(
                                    rx.vstack(
                                        rx.link(r.name, href="/admin/customers/" + r.id),
                                        rx.text(r.email, size="1", color_scheme="gray"),
                                        _forms(r),
                                        spacing="1",
                                    )
                                ),
                                rx.table.cell(r.b0),
                                rx.table.cell(r.b1),
                                rx.table.cell(r.b2),
                                rx.table.cell(r.b3),
                                rx.table.cell(rx.text(r.total, weight="bold")),
                            ),
                        ),
                        rx.table.row(
                            rx.table.row_header_cell(t("aging.all")),
                            *[
                                rx.table.cell(A.buckets[i], id=f"aging-total-{b}")
                                for i, b in enumerate(BUCKETS)
                            ],
                            rx.table.cell(rx.text(A.grand_total, weight="bold"), id="aging-total"),
                        ),
                    ),
                    variant="surface",
                    width="100%",
                    id="aging-table",
                ),
                class_name="o2-table-wrap",
            ),
            rx.text(t("aging.none"), color_scheme="gray"),
        ),
        pager(A),
    )
