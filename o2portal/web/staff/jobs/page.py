"""Staff page: the background jobs (last run, last success, failures in a row) and their
latest runs, with the error of a failed one."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t
from o2portal.web.components.tables import rows_table, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.jobs.state import AdminJobsState as J

_COLOURS = (("ok", "green"), ("partial", "orange"), ("failed", "red"), ("running", "blue"))


def _badge(outcome, label) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(outcome, *_COLOURS, "gray"))


def _summary(text) -> rx.Component:
    """A run's figures, or nothing at all (not an empty grey box) when it has none."""
    return rx.cond(text != "", rx.code(text, size="1"))


def _jobs() -> rx.Component:
    return rows_table(
        "jobs-table",
        [
            "jobs.name",
            "jobs.outcome",
            "jobs.last_run",
            "jobs.last_success",
            "jobs.failures",
            "jobs.summary",
        ],
        J.jobs,
        lambda r: rx.table.row(
            rx.table.row_header_cell(
                rx.link(r["name"], on_click=J.show_job(r["name"]), href="#jobs-runs")
            ),
            rx.table.cell(_badge(r["outcome"], r["outcome_label"])),
            *text_cells(r, "started", "success"),
            rx.table.cell(
                rx.text(
                    r["failures"],
                    color_scheme=rx.cond(r["failures"] != "0", "red", "gray"),
                    weight=rx.cond(r["failures"] != "0", "bold", "regular"),
                )
            ),
            rx.table.cell(_summary(r["summary"])),
            id="job-" + r["name"],
        ),
        empty_key="jobs.none",
    )


def _runs() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(t("jobs.runs"), size="4", as_="h2"),
            rx.cond(
                J.job != "",
                rx.hstack(
                    rx.badge(J.job),
                    rx.button(
                        t("jobs.all_runs"), size="1", variant="soft", on_click=J.show_job("")
                    ),
                ),
            ),
            align="center",
            spacing="3",
        ),
        rows_table(
            "jobs-runs",
            ["jobs.started", "jobs.name", "jobs.outcome", "jobs.seconds", "jobs.summary"],
            J.runs,
            lambda r: rx.fragment(
                rx.table.row(
                    *text_cells(r, "started", "name"),
                    rx.table.cell(_badge(r["outcome"], r["outcome_label"])),
                    *text_cells(r, "seconds"),
                    rx.table.cell(_summary(r["summary"])),
                ),
                rx.cond(
                    r["error"] != "",
                    rx.table.row(
                        rx.table.cell(
                            rx.el.pre(r["error"], class_name="o2-mail-body"),
                            col_span=5,
                        ),
                        class_name="o2-job-error",
                    ),
                ),
            ),
            empty_key="jobs.no_runs",
        ),
        width="100%",
        spacing="3",
    )


@staff_page(
    "/admin/jobs",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_jobs",
    on_load=J.load,
)
def jobs_page() -> rx.Component:
    return rx.vstack(
        rx.text(t("jobs.intro"), color_scheme="gray", size="2"),
        _jobs(),
        _runs(),
        spacing="5",
        width="100%",
    )
