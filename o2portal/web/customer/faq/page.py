"""Questions fréquentes: public, searchable as you type, grouped by topic."""

from __future__ import annotations

import reflex as rx

from o2portal.web.components.i18n import t
from o2portal.web.components.layout import page_title
from o2portal.web.components.markdown import safe_markdown
from o2portal.web.customer.faq.state import FaqState
from o2portal.web.pages import public_page, visitor_or_customer_layout
from o2portal.web.session import SessionState


def _entries(entries) -> rx.Component:
    """The entries found in one language, as an accordion (or "nothing found")."""
    return rx.cond(
        entries.length() > 0,
        rx.accordion.root(
            rx.foreach(
                entries,
                lambda e: rx.accordion.item(
                    header=rx.hstack(
                        rx.badge(e["topic"], variant="soft"),
                        rx.text(e["question"]),
                        spacing="2",
                        align="center",
                        wrap="wrap",
                        # The question starts on the left, however many lines it takes
                        # (a button centres its text), and leaves the chevron its place
                        # at the right.
                        flex="1",
                        min_width="0",
                        text_align="start",
                    ),
                    content=safe_markdown(e["answer"]),
                    value=e["id"],
                ),
            ),
            type="multiple",
            collapsible=True,
            width="100%",
            variant="ghost",
            id="faq-list",
            class_name="o2-faq",
        ),
        rx.text(t("faq.none"), color_scheme="gray"),
    )


# Public, and shown in the customer's shell to someone signed in.
@public_page("/faq", on_load=FaqState.load, layout=visitor_or_customer_layout)
def faq_page() -> rx.Component:
    return rx.vstack(
        page_title("faq.title"),
        rx.box(
            rx.el.label(t("faq.search"), html_for="faq-search", class_name="o2-label"),
            # One debounce: an input bound to `value` would add Reflex's own 300 ms one
            # in front of this; the field keeps what is typed, the state follows.
            rx.input(
                id="faq-search",
                default_value=FaqState.query,
                on_change=FaqState.set_query.debounce(150),
                max_length=200,
                size="3",
                width="100%",
            ),
            width="100%",
        ),
        rx.cond(
            SessionState.lang == "en",
            _entries(FaqState.entries_en),
            _entries(FaqState.entries_fr),
        ),
        spacing="4",
        width="100%",
        max_width="60em",
    )
