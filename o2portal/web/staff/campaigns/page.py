"""Staff page (admin): mass mail — choose the recipients, write the mail, preview the exact
count and a sample, send after a confirmation; the past campaigns with their progress."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import (
    checkbox_field,
    field_error,
    label,
    labelled,
    native_select,
    text_field,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.payment import hidden
from o2portal.web.components.tables import pager, rows_table, text_cells
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.campaigns.state import AdminCampaignsState as S
from o2portal.web.staff.emails.tabs import mail_tabs

ROUTE = "/admin/emails/campaigns"


def _select(name: str, key: str, options, value, text) -> rx.Component:
    return labelled(
        f"campaign-{name}",
        key,
        native_select(
            f"campaign-{name}",
            rx.el.option(t("campaign.any"), value=""),
            rx.foreach(options, lambda o: rx.el.option(text(o), value=value(o))),
            name=name,
            key=f"{name}-{S.form_key}",
        ),
        errors=S.errors,
        name=name,
        width="100%",
        class_name="o2-field",
    )


def _segment() -> rx.Component:
    return stack(
        rx.heading(t("campaign.segment"), size="3", as_="h3"),
        rx.text(t("campaign.segment_hint"), size="2", color_scheme="gray"),
        rx.grid(
            _select("server", "campaign.server", S.servers, lambda s: s, lambda s: s),
            _select("offer", "campaign.offer", S.offers, lambda o: o[0], lambda o: o[1]),
            _select(
                "extension", "campaign.extension", S.extensions, lambda e: e, lambda e: "." + e
            ),
            text_field(
                "expiring_before",
                "campaign.expiring_before",
                S.errors,
                type="date",
                max_length=10,
                key=f"expiring-{S.form_key}",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        rx.box(checkbox_field("unverified", "campaign.unverified", S.errors), key=S.form_key),
        field_error(S.errors, "segment"),
    )


def _text() -> rx.Component:
    return stack(
        text_field(
            "subject",
            "campaign.subject",
            S.errors,
            max_length=300,
            key=f"subject-{S.form_key}",
        ),
        rx.box(
            label("campaign-body", "campaign.body"),
            rx.el.textarea(
                name="body",
                id="campaign-body",
                key=f"body-{S.form_key}",
                rows=10,
                max_length=20000,
                class_name="o2-textarea",
            ),
            field_error(S.errors, "body"),
            width="100%",
            class_name="o2-field",
        ),
        rx.hstack(
            rx.text(t("campaign.variables"), size="2", color_scheme="gray"),
            *[
                rx.code("${" + name + "}", variant="soft")
                for name in ("first_name", "last_name", "portal_url", "support_email")
            ],
            spacing="2",
            wrap="wrap",
            align="center",
        ),
    )


def _form() -> rx.Component:
    return rx.card(
        rx.form(
            stack(
                rx.heading(t("campaign.new"), size="4", as_="h2"),
                _segment(),
                _text(),
                rx.button(
                    rx.icon("eye", size=16),
                    t("campaign.preview"),
                    type="submit",
                    disabled=S.done,
                    id="campaign-preview",
                    align_self="start",
                ),
                spacing="4",
            ),
            on_submit=S.preview,
            reset_on_submit=False,
            no_validate=True,
            width="100%",
        ),
        width="100%",
    )


def _send() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                rx.icon("send", size=16),
                t("campaign.send"),
                " (",
                S.count,
                ")",
                disabled=S.done | (S.count == "0"),
                id="campaign-send",
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("campaign.send_title")),
            rx.alert_dialog.description(
                t("campaign.send_text"), " ", t("campaign.count"), " : ", S.count
            ),
            rx.form(
                hidden("pay_key", S.send_key),
                hidden("seen_count", S.count),
                rx.hstack(
                    rx.alert_dialog.cancel(
                        rx.button(t("campaign.keep"), variant="soft", type="button")
                    ),
                    rx.button(t("campaign.send_confirm"), type="submit", id="campaign-confirm"),
                    justify="end",
                    spacing="3",
                    margin_top="1em",
                ),
                on_submit=S.send,
                reset_on_submit=False,
            ),
        ),
        # Open while the admin decides; sending closes it.
        open=S.confirming,
        on_open_change=S.set_confirming,
    )


def _preview() -> rx.Component:
    return rx.cond(
        S.count != "",
        rx.card(
            stack(
                rx.hstack(
                    rx.text(t("campaign.count"), weight="medium"),
                    rx.badge(S.count, size="3", id="campaign-count"),
                    align="center",
                    spacing="3",
                ),
                rx.cond(
                    S.failing_note != "",
                    rx.text(S.failing_note, size="2", color_scheme="amber", id="campaign-failing"),
                ),
                rx.cond(
                    S.sample_to != "",
                    stack(
                        rx.text(t("campaign.sample_to"), " ", S.sample_to, size="2"),
                        rx.text(S.sample_subject, weight="bold", id="campaign-sample-subject"),
                        # Plain text, as sent: never rendered as HTML or Markdown.
                        rx.el.pre(
                            S.sample_body, id="campaign-sample-body", class_name="o2-mail-body"
                        ),
                    ),
                    rx.text(t("campaign.sample_nobody"), color_scheme="amber"),
                ),
                rx.cond(
                    S.message != "",
                    rx.callout(S.message, color_scheme="green", id="campaign-message"),
                ),
                rx.hstack(
                    _send(),
                    rx.cond(
                        S.done,
                        rx.button(
                            t("campaign.again"),
                            variant="soft",
                            on_click=S.again,
                            id="campaign-again",
                        ),
                    ),
                    spacing="3",
                ),
            ),
            width="100%",
            id="campaign-preview-card",
        ),
    )


def _history() -> rx.Component:
    return stack(
        rx.heading(t("campaign.history"), size="4", as_="h2"),
        rows_table(
            "campaign-table",
            [
                "campaign.col_date",
                "campaign.col_author",
                "campaign.col_subject",
                "campaign.col_segment",
                "campaign.col_recipients",
                "campaign.col_sent",
                "campaign.col_pending",
                "campaign.col_failed",
            ],
            S.rows,
            lambda r: rx.table.row(
                *text_cells(
                    r,
                    "date",
                    "author",
                    "subject",
                    "segment",
                    "recipients",
                    "sent",
                    "pending",
                    "failed",
                ),
                id="campaign-row-" + r["id"],
            ),
            empty_key="campaign.none",
        ),
        pager(S),
    )


@staff_page(
    ROUTE, roles=ADMINS_ONLY, title_key="campaign.title", on_load=S.load, ui=S.set_confirming
)
def campaigns_page() -> rx.Component:
    return rx.fragment(
        mail_tabs(ROUTE),
        rx.text(t("campaign.intro"), size="2", color_scheme="gray"),
        _form(),
        _preview(),
        _history(),
    )
