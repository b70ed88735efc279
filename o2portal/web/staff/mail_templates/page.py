"""Staff page (admin): every mail kind with its French and English text, edited in place
with a preview on sample data, a reset to the original, errors by their field."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import field_error, label
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import rows_table
from o2portal.web.pages import ADMINS_ONLY, staff_page
from o2portal.web.staff.emails.tabs import mail_tabs
from o2portal.web.staff.mail_templates.state import AdminMailTemplatesState as S

ROUTE = "/admin/emails/templates"


def _state_badge(value) -> rx.Component:
    return rx.cond(
        value == "edited",
        rx.badge(t("mailtpl.edited"), color_scheme="amber"),
        rx.badge(t("mailtpl.default"), color_scheme="gray", variant="soft"),
    )


def _language_cell(r, language: str) -> rx.Component:
    return rx.table.cell(
        rx.hstack(
            _state_badge(r[language]),
            rx.button(
                t("mailtpl.edit"),
                size="1",
                variant="soft",
                on_click=S.open_text(r["kind"], language),
                id=f"edit-{language}-" + r["kind"],
                aria_label=t(f"mailtpl.lang_{language}"),
            ),
            align="center",
            spacing="2",
        )
    )


def _fields() -> rx.Component:
    return stack(
        rx.box(
            label("tpl-subject", "mailtpl.subject"),
            rx.input(
                name="subject",
                id="tpl-subject",
                default_value=S.subject,
                key=f"subject-{S.form_key}",
                on_change=S.set_draft_subject.debounce(300),
                max_length=300,
                width="100%",
                size="3",
            ),
            field_error(S.errors, "subject"),
            width="100%",
            class_name="o2-field",
        ),
        rx.box(
            label("tpl-body", "mailtpl.body"),
            rx.el.textarea(
                name="body",
                id="tpl-body",
                default_value=S.body,
                key=f"body-{S.form_key}",
                on_change=S.set_draft_body.debounce(300),
                rows=16,
                max_length=20000,
                class_name="o2-textarea",
            ),
            field_error(S.errors, "body"),
            width="100%",
            class_name="o2-field",
        ),
        rx.box(
            rx.text(t("mailtpl.variables"), size="2", color_scheme="gray"),
            rx.flex(
                rx.foreach(S.variables, lambda v: rx.code(v, variant="soft")),
                wrap="wrap",
                spacing="2",
                id="tpl-variables",
            ),
        ),
    )


def _reset() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                t("mailtpl.reset"),
                type="button",
                color_scheme="red",
                variant="soft",
                id="tpl-reset",
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("mailtpl.reset_title")),
            rx.alert_dialog.description(t("mailtpl.reset_text")),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("mailtpl.keep"), variant="soft")),
                rx.alert_dialog.action(
                    rx.button(
                        t("mailtpl.reset_confirm"),
                        color_scheme="red",
                        on_click=S.reset_text,
                        id="tpl-reset-confirm",
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
    )


def _preview() -> rx.Component:
    return rx.card(
        stack(
            rx.heading(t("mailtpl.preview_title"), size="3", as_="h3"),
            rx.cond(
                S.preview_subject != "",
                stack(
                    rx.text(S.preview_subject, weight="bold", id="tpl-preview-subject"),
                    # Plain text, as sent: never rendered as HTML or Markdown.
                    rx.el.pre(S.preview_body, id="tpl-preview-body", class_name="o2-mail-body"),
                ),
                rx.text(t("mailtpl.preview_hint"), size="2", color_scheme="amber"),
            ),
        ),
        width="100%",
        id="tpl-preview",
    )


def _editor() -> rx.Component:
    return rx.cond(
        S.kind != "",
        rx.card(
            stack(
                rx.hstack(
                    rx.heading(S.title, size="4", as_="h2", id="tpl-title"),
                    rx.cond(
                        S.edited,
                        rx.badge(t("mailtpl.state_edited"), color_scheme="amber"),
                        rx.badge(t("mailtpl.state_default"), color_scheme="gray"),
                    ),
                    rx.spacer(),
                    rx.button(
                        t("mailtpl.close"),
                        variant="ghost",
                        color_scheme="gray",
                        on_click=S.close,
                    ),
                    align="center",
                    width="100%",
                ),
                rx.grid(
                    rx.form(
                        stack(
                            _fields(),
                            rx.hstack(
                                rx.button(t("mailtpl.save"), type="submit", id="tpl-save"),
                                rx.cond(S.edited, _reset()),
                                spacing="3",
                                wrap="wrap",
                            ),
                            rx.cond(
                                S.message != "",
                                rx.callout(S.message, color_scheme="green", id="tpl-message"),
                            ),
                        ),
                        on_submit=S.save,
                        reset_on_submit=False,
                        no_validate=True,
                        width="100%",
                    ),
                    _preview(),
                    columns=rx.breakpoints(initial="1", lg="2"),
                    spacing="4",
                    width="100%",
                ),
            ),
            width="100%",
            id="tpl-editor",
        ),
    )


@staff_page(ROUTE, roles=ADMINS_ONLY, title_key="mailtpl.title", on_load=S.load, ui=S.close)
def mail_templates_page() -> rx.Component:
    return rx.fragment(
        mail_tabs(ROUTE),
        rx.text(t("mailtpl.intro"), size="2", color_scheme="gray"),
        _editor(),
        rows_table(
            "tpl-table",
            ["mailtpl.col_kind", "mailtpl.col_fr", "mailtpl.col_en"],
            S.rows,
            lambda r: rx.table.row(
                rx.table.row_header_cell(r["name"]),
                _language_cell(r, "fr"),
                _language_cell(r, "en"),
                id="tpl-row-" + r["kind"],
            ),
        ),
    )
