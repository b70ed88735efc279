"""Staff page: FAQ entries and announcements (Markdown, shown through safe_markdown)."""

from __future__ import annotations

import reflex as rx

from o2portal.content.staff import ANSWER_MAX, BODY_MAX, QUESTION_MAX, TITLE_MAX, TOPIC_MAX
from o2portal.web.components.admin import pager
from o2portal.web.components.forms import field_error, label
from o2portal.web.components.i18n import t
from o2portal.web.components.markdown import safe_markdown
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.content.state import AdminAnnouncementsState as A
from o2portal.web.staff.content.state import AdminFaqState as F


def _table(rows, headers: list[str], cells, table_id: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(h)) for h in headers])),
            rx.table.body(rx.foreach(rows, lambda r: rx.table.row(*cells(r)))),
            variant="surface",
            width="100%",
            id=table_id,
        ),
        class_name="o2-table-wrap",
    )


def _input(S, prefix: str, name: str, key: str, max_length: int, **props) -> rx.Component:
    field_id = f"{prefix}-{name}"
    return rx.box(
        label(field_id, key),
        rx.input(
            name=name,
            id=field_id,
            default_value=S.fields[name],
            key=f"{name}-{S.form_key}",
            max_length=max_length,
            read_only=~S.can_edit,
            width="100%",
            size="3",
            **props,
        ),
        field_error(S.errors, name),
        width="100%",
        class_name="o2-field",
    )


def _select(S, prefix: str, name: str, key: str, options: list[tuple[str, str]]):
    field_id = f"{prefix}-{name}"
    return rx.box(
        label(field_id, key),
        rx.el.select(
            *[rx.el.option(t(text), value=code) for code, text in options],
            name=name,
            id=field_id,
            default_value=S.fields[name],
            key=f"{name}-{S.form_key}",
            disabled=~S.can_edit,
            class_name="o2-select",
        ),
        field_error(S.errors, name),
        width="100%",
        class_name="o2-field",
    )


def _published(S, prefix: str) -> rx.Component:
    field_id = f"{prefix}-published"
    return rx.box(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                name="published",
                id=field_id,
                default_checked=S.fields["published"] == "on",
                key=f"published-{S.form_key}",
                disabled=~S.can_edit,
                class_name="o2-checkbox",
            ),
            rx.el.span(t("content.published")),
            html_for=field_id,
            class_name="o2-check-label",
        ),
        class_name="o2-field",
    )


def _markdown_editor(S, prefix: str, name: str, key: str, text, on_change, max_length: int):
    """Write / Preview tabs; the textarea is uncontrolled, the state keeps a copy to preview."""
    field_id = f"{prefix}-{name}"
    return rx.box(
        label(field_id, key),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t("content.write"), value="write", id=f"{prefix}-write"),
                rx.tabs.trigger(t("content.preview"), value="preview", id=f"{prefix}-preview"),
            ),
            rx.tabs.content(
                rx.el.textarea(
                    default_value=text,
                    key=f"{name}-{S.form_key}",
                    on_change=on_change.debounce(300),
                    id=field_id,
                    name=name,
                    rows=8,
                    max_length=max_length,
                    read_only=~S.can_edit,
                    class_name="o2-textarea",
                ),
                rx.text(t("content.markdown_hint"), size="1", color_scheme="gray"),
                value="write",
                padding_top="0.5em",
                force_mount=True,
                class_name="o2-tab-kept",
            ),
            rx.tabs.content(
                rx.box(
                    rx.cond(
                        text.strip() != "",
                        safe_markdown(text),
                        rx.text(t("content.preview_empty"), color_scheme="gray"),
                    ),
                    class_name="o2-message-body o2-preview",
                    id=f"{prefix}-preview-box",
                ),
                value="preview",
                padding_top="0.5em",
            ),
            value=S.tab,
            on_change=S.set_tab,
        ),
        field_error(S.errors, name),
        width="100%",
        class_name="o2-field",
    )


def _editor_card(S, prefix: str, *fields: rx.Component) -> rx.Component:
    return rx.cond(
        S.editing,
        rx.card(
            rx.form(
                rx.vstack(
                    *fields,
                    rx.cond(
                        S.message != "",
                        rx.callout.root(
                            rx.callout.text(S.message), color_scheme="green", id=f"{prefix}-saved"
                        ),
                    ),
                    rx.hstack(
                        rx.cond(
                            S.can_edit,
                            rx.button(t("content.save"), type="submit", id=f"{prefix}-save"),
                        ),
                        rx.button(
                            t("content.close"),
                            type="button",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.close,
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.save,
                reset_on_submit=False,
                no_validate=True,
                width="100%",
            ),
            width="100%",
            id=f"{prefix}-editor",
        ),
    )


def _faq_section() -> rx.Component:
    editor = _editor_card(
        F,
        "faq",
        rx.grid(
            _input(F, "faq", "topic", "content.topic", TOPIC_MAX),
            _select(
                F,
                "faq",
                "language",
                "content.language",
                [("fr", "content.lang_fr"), ("en", "content.lang_en")],
            ),
            _input(F, "faq", "sort_order", "content.sort_order", 5, type="number"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        _input(F, "faq", "question", "content.question", QUESTION_MAX),
        _markdown_editor(F, "faq", "answer", "content.answer", F.answer, F.set_answer, ANSWER_MAX),
        _published(F, "faq"),
    )
    return rx.vstack(
        rx.hstack(
            rx.heading(t("content.faq"), size="5", as_="h2"),
            rx.spacer(),
            rx.cond(
                F.can_edit,
                rx.button(
                    rx.icon("plus", size=16),
                    t("content.new_faq"),
                    on_click=F.new_entry,
                    id="faq-new",
                ),
            ),
            width="100%",
            align="center",
        ),
        rx.cond(~F.can_edit, rx.text(t("content.read_only"), size="2", color_scheme="gray")),
        editor,
        rx.text(F.total, " ", t("content.entries"), size="2", color_scheme="gray"),
        _table(
            F.rows,
            [
                "content.topic",
                "content.question",
                "content.language",
                "content.sort_order",
                "content.published",
                "col.actions",
            ],
            lambda r: [
                rx.table.cell(r["topic"]),
                rx.table.cell(r["question"]),
                rx.table.cell(r["language"]),
                rx.table.cell(r["order"]),
                rx.table.cell(r["published"]),
                rx.table.cell(
                    rx.button(
                        rx.cond(F.can_edit, t("content.edit"), t("content.view")),
                        size="1",
                        variant="soft",
                        on_click=F.open_entry(r["id"]),
                        id="faq-open-" + r["id"],
                    )
                ),
            ],
            "faq-table",
        ),
        pager(F),
        spacing="3",
        width="100%",
    )


_STATE_COLOURS = {"visible": "green", "scheduled": "blue", "over": "gray", "draft": "orange"}


def _announcements_section() -> rx.Component:
    editor = _editor_card(
        A,
        "ann",
        _input(A, "ann", "title", "content.title", TITLE_MAX),
        _markdown_editor(A, "ann", "body", "content.body", A.body, A.set_body, BODY_MAX),
        rx.grid(
            _select(
                A,
                "ann",
                "level",
                "content.level",
                [("info", "content.level_info"), ("warning", "content.level_warning")],
            ),
            _input(A, "ann", "starts_at", "content.starts_at", 20, type="datetime-local"),
            _input(A, "ann", "ends_at", "content.ends_at", 20, type="datetime-local"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        _published(A, "ann"),
    )
    return rx.vstack(
        rx.hstack(
            rx.heading(t("content.announcements"), size="5", as_="h2"),
            rx.spacer(),
            rx.cond(
                A.can_edit,
                rx.button(
                    rx.icon("plus", size=16),
                    t("content.new_announcement"),
                    on_click=A.new_item,
                    id="ann-new",
                ),
            ),
            width="100%",
            align="center",
        ),
        editor,
        rx.text(A.total, " ", t("content.items"), size="2", color_scheme="gray"),
        _table(
            A.rows,
            [
                "content.title",
                "content.level",
                "content.starts_at",
                "content.ends_at",
                "content.state",
                "col.actions",
            ],
            lambda r: [
                rx.table.cell(r["title"]),
                rx.table.cell(r["level"]),
                rx.table.cell(r["starts"]),
                rx.table.cell(r["ends"]),
                rx.table.cell(
                    rx.badge(
                        r["state_label"],
                        color_scheme=rx.match(r["state"], *_STATE_COLOURS.items(), "gray"),
                        id="ann-state-" + r["id"],
                    )
                ),
                rx.table.cell(
                    rx.hstack(
                        rx.button(
                            rx.cond(A.can_edit, t("content.edit"), t("content.view")),
                            size="1",
                            variant="soft",
                            on_click=A.open_item(r["id"]),
                            id="ann-open-" + r["id"],
                        ),
                        rx.cond(
                            A.can_edit,
                            rx.cond(
                                r["published"] == "1",
                                rx.button(
                                    t("content.unpublish"),
                                    size="1",
                                    variant="soft",
                                    color_scheme="orange",
                                    on_click=A.unpublish(r["id"]),
                                    id="ann-unpublish-" + r["id"],
                                ),
                                rx.button(
                                    t("content.publish"),
                                    size="1",
                                    on_click=A.publish(r["id"]),
                                    id="ann-publish-" + r["id"],
                                ),
                            ),
                        ),
                        spacing="2",
                    )
                ),
            ],
            "ann-table",
        ),
        pager(A),
        spacing="3",
        width="100%",
    )


@staff_page(
    "/admin/content",
    roles=SUPPORT_AND_ADMIN,
    title_key="admin.nav_content",
    on_load=[F.load, A.load],
    admin=[F.new_entry, F.save, A.new_item, A.save, A.publish, A.unpublish],
    ui=[F.close, F.set_answer, F.set_tab, A.close, A.set_body, A.set_tab],
)
def content_page() -> rx.Component:
    return rx.fragment(
        _announcements_section(),
        rx.divider(),
        _faq_section(),
    )
