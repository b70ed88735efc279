"""Staff page: FAQ entries and announcements (Markdown, shown through safe_markdown)."""

from __future__ import annotations

import reflex as rx

from o2portal.content.staff import ANSWER_MAX, BODY_MAX, QUESTION_MAX, TITLE_MAX, TOPIC_MAX
from o2portal.web.components.blocks import columns, stack
from o2portal.web.components.filters import translated_options
from o2portal.web.components.forms import (
    card_form,
    close_button,
    icon_button,
    labelled,
    native_select,
    option_list,
    small_button,
)
from o2portal.web.components.i18n import t
from o2portal.web.components.markdown import write_and_preview
from o2portal.web.components.tables import coloured_badge, pager, rows_table, text_cells
from o2portal.web.pages import SUPPORT_AND_ADMIN, staff_page
from o2portal.web.staff.content.state import AdminAnnouncementsState as A
from o2portal.web.staff.content.state import AdminFaqState as F


def _input(S, prefix: str, name: str, key: str, max_length: int, **props) -> rx.Component:
    field_id = f"{prefix}-{name}"
    return labelled(
        field_id,
        key,
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
        errors=S.errors,
        name=name,
        width="100%",
        class_name="o2-field",
    )


def _select(S, prefix: str, name: str, key: str, options: list[tuple[str, str]]):
    field_id = f"{prefix}-{name}"
    return labelled(
        field_id,
        key,
        native_select(
            field_id,
            *option_list(translated_options(*options)),
            name=name,
            default_value=S.fields[name],
            key=f"{name}-{S.form_key}",
            disabled=~S.can_edit,
        ),
        errors=S.errors,
        name=name,
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


def _markdown_editor(S, prefix: str, name: str, key: str, on_change, max_length: int):
    """The entry's Markdown text, with its preview."""
    field_id = f"{prefix}-{name}"
    return labelled(
        field_id,
        key,
        write_and_preview(
            rx.el.textarea(
                default_value=S.text,
                key=f"{name}-{S.form_key}",
                on_change=on_change.debounce(300),
                id=field_id,
                name=name,
                rows=8,
                max_length=max_length,
                read_only=~S.can_edit,
                class_name="o2-textarea",
            ),
            S.text,
            tab=S.tab,
            on_tab=S.set_tab,
            id_prefix=prefix,
            preview_id=f"{prefix}-preview-box",
            words="content",
            hint=rx.text(t("content.markdown_hint"), size="1", color_scheme="gray"),
        ),
        errors=S.errors,
        name=name,
        width="100%",
        class_name="o2-field",
    )


def _editor_card(S, prefix: str, *fields: rx.Component) -> rx.Component:
    return rx.cond(
        S.editing,
        card_form(
            S.save,
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
                close_button(t("content.close"), S.close),
            ),
            spacing="3",
            max_width=None,
            id=f"{prefix}-editor",
        ),
    )


def _open_button(S, prefix: str, on_open, r) -> rx.Component:
    return small_button(
        rx.cond(S.can_edit, t("content.edit"), t("content.view")),
        on_open(r["id"]),
        f"{prefix}-open-" + r["id"],
    )


def _content_list(
    S, prefix: str, words, editor, headers: list[str], cells, read_only_note: bool = False
) -> rx.Component:
    """One list of the page: its heading and «new» button (admins), the form of the entry
    opened, the count, one page of rows and the pager. `words`: the i18n keys of the
    heading and of the new button, the new button's handler, the count's key."""
    title_key, new_key, on_new, count_key = words
    return stack(
        rx.hstack(
            rx.heading(t(title_key), size="5", as_="h2"),
            rx.spacer(),
            rx.cond(
                S.can_edit,
                icon_button("plus", new_key, on_click=on_new, id=f"{prefix}-new"),
            ),
            width="100%",
            align="center",
        ),
        *(
            [rx.cond(~S.can_edit, rx.text(t("content.read_only"), size="2", color_scheme="gray"))]
            if read_only_note
            else []
        ),
        editor,
        rx.text(S.total, " ", t(count_key), size="2", color_scheme="gray"),
        rows_table(f"{prefix}-table", headers, S.rows, lambda r: rx.table.row(*cells(r))),
        pager(S),
    )


def _faq_section() -> rx.Component:
    editor = _editor_card(
        F,
        "faq",
        columns(
            _input(F, "faq", "topic", "content.topic", TOPIC_MAX),
            _select(
                F,
                "faq",
                "language",
                "content.language",
                [("fr", "content.lang_fr"), ("en", "content.lang_en")],
            ),
            _input(F, "faq", "sort_order", "content.sort_order", 5, type="number"),
            n="3",
        ),
        _input(F, "faq", "question", "content.question", QUESTION_MAX),
        _markdown_editor(F, "faq", "answer", "content.answer", F.set_answer, ANSWER_MAX),
        _published(F, "faq"),
    )
    return _content_list(
        F,
        "faq",
        ("content.faq", "content.new_faq", F.new_entry, "content.entries"),
        editor,
        [
            "content.topic",
            "content.question",
            "content.language",
            "content.sort_order",
            "content.published",
            "col.actions",
        ],
        lambda r: [
            *text_cells(r, "topic", "question", "language", "order", "published"),
            rx.table.cell(_open_button(F, "faq", F.open_entry, r)),
        ],
        read_only_note=True,
    )


_STATE_COLOURS = {"visible": "green", "scheduled": "blue", "over": "gray", "draft": "orange"}


def _announcements_section() -> rx.Component:
    editor = _editor_card(
        A,
        "ann",
        _input(A, "ann", "title", "content.title", TITLE_MAX),
        _markdown_editor(A, "ann", "body", "content.body", A.set_body, BODY_MAX),
        columns(
            _select(
                A,
                "ann",
                "level",
                "content.level",
                [("info", "content.level_info"), ("warning", "content.level_warning")],
            ),
            _input(A, "ann", "starts_at", "content.starts_at", 20, type="datetime-local"),
            _input(A, "ann", "ends_at", "content.ends_at", 20, type="datetime-local"),
            n="3",
        ),
        _published(A, "ann"),
    )
    return _content_list(
        A,
        "ann",
        ("content.announcements", "content.new_announcement", A.new_item, "content.items"),
        editor,
        [
            "content.title",
            "content.level",
            "content.starts_at",
            "content.ends_at",
            "content.state",
            "col.actions",
        ],
        lambda r: [
            *text_cells(r, "title", "level", "starts", "ends"),
            rx.table.cell(
                coloured_badge(
                    r["state"], r["state_label"], _STATE_COLOURS, id="ann-state-" + r["id"]
                )
            ),
            rx.table.cell(
                rx.hstack(
                    _open_button(A, "ann", A.open_item, r),
                    rx.cond(
                        A.can_edit,
                        rx.cond(
                            r["published"] == "1",
                            small_button(
                                t("content.unpublish"),
                                A.unpublish(r["id"]),
                                "ann-unpublish-" + r["id"],
                                color_scheme="orange",
                            ),
                            small_button(
                                t("content.publish"),
                                A.publish(r["id"]),
                                "ann-publish-" + r["id"],
                                variant="solid",
                            ),
                        ),
                    ),
                    spacing="2",
                )
            ),
        ],
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
