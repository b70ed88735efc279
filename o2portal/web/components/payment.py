"""The payment panel shared by renewals and unpaid order forms.

The card fields have no name: the form never sends them. On submit, a script posts them
to the card gateway's own endpoint (the built-in one: /gateway/v1/tokens), and what goes
to the portal's handler over the socket is the rest of the form with the gateway's token,
or with what the gateway found wrong with the fields. The card number never reaches the
portal, as with a real provider's script."""

from __future__ import annotations

import json

import reflex as rx

from o2portal.web.components.blocks import stack
from o2portal.web.components.forms import (
    checkbox_field,
    label,
    labelled,
    native_select,
    text_field,
)
from o2portal.web.components.i18n import t


def total_cells(totals: rx.Var, id_prefix: str, rate_key: str = "rate") -> list[rx.Component]:
    """A price's totals as the cells of a two-column grid: before tax, the VAT at its rate,
    then with tax (in bold); the amounts carry the ids `id_prefix`-ht, -vat and -ttc."""
    return [
        rx.text(t("total.ht")),
        rx.text(totals["ht"], align="right", id=f"{id_prefix}-ht"),
        rx.text(t("total.vat"), " (", totals[rate_key], ")"),
        rx.text(totals["vat"], align="right", id=f"{id_prefix}-vat"),
        rx.text(t("total.ttc"), weight="bold"),
        rx.text(totals["ttc"], align="right", weight="bold", id=f"{id_prefix}-ttc"),
    ]


def _method_select(S) -> rx.Component:
    return labelled(
        "method",
        "pay.method",
        native_select(
            "method",
            rx.el.option(t("pay.card"), value="card"),
            rx.cond(S.cards.length() > 0, rx.el.option(t("pay.saved_card"), value="saved_card")),
            rx.el.option(t("pay.credit"), value="credit"),
            rx.el.option(t("pay.transfer"), value="transfer"),
            rx.el.option(t("pay.cheque"), value="cheque"),
            name="method",
            value=S.method,
            on_change=S.set_method,
        ),
        errors=S.pay_errors,
        width="100%",
    )


def _card_fields(S) -> rx.Component:
    errors = S.pay_errors
    return stack(
        text_field(
            "card_number",
            "pay.card_number",
            errors,
            sent=False,
            autocomplete="cc-number",
            max_length=23,
            input_mode="numeric",
        ),
        rx.grid(
            text_field(
                "card_expiry",
                "pay.card_expiry",
                errors,
                sent=False,
                autocomplete="cc-exp",
                max_length=7,
                placeholder="MM/AA",
            ),
            text_field(
                "card_cvc",
                "pay.card_cvc",
                errors,
                sent=False,
                autocomplete="cc-csc",
                max_length=4,
                input_mode="numeric",
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        text_field(
            "card_holder",
            "pay.card_holder",
            errors,
            autocomplete="cc-name",
            max_length=100,
            sent=False,
        ),
        checkbox_field("save_card", "pay.save_card", None),
        rx.text(t("pay.test_cards"), size="1", color_scheme="gray"),
    )


def _saved_card_select(S) -> rx.Component:
    return rx.box(
        label("saved_card_id", "pay.saved_card"),
        rx.el.select(
            rx.foreach(S.cards, lambda c: rx.el.option(c["label"], value=c["id"])),
            id="saved_card_id",
            value=S.saved_card_id,
            on_change=S.set_saved_card_id,
            class_name="o2-select",
        ),
        width="100%",
    )


# The form's fields and, for a card, the gateway's answer: the object the handler gets.
_TOKENIZE_AND_SEND = """(async () => {
  const form = document.getElementById(%(form)s);
  const data = Object.fromEntries(new FormData(form).entries());
  if (data.method !== "card") return data;
  const value = (id) => (form.querySelector("#" + id) || {}).value || "";
  try {
    const answer = await fetch(%(endpoint)s, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({
        card_number: value("card_number"), card_expiry: value("card_expiry"),
        card_cvc: value("card_cvc"), card_holder: value("card_holder"),
      }),
    });
    const body = await answer.json();
    if (body.token) data.card_token = body.token;
    else data.card_errors = JSON.stringify(body.errors || {});
  } catch (error) {
    data.card_errors = JSON.stringify({card_number: "error.gateway_down"});
  }
  return data;
})()"""
CARD_ENDPOINT = "/gateway/v1/tokens"


def tokenize_then(on_submit, form_id: str):
    """The form's submit: the card to the gateway first (in the browser), then the form
    with the token to `on_submit`."""
    script = _TOKENIZE_AND_SEND % {
        "form": json.dumps(form_id),
        "endpoint": json.dumps(CARD_ENDPOINT),
    }
    return lambda _form_data: rx.call_script(script, callback=on_submit)


def hidden(name: str, value) -> rx.Component:
    """A value the page rendered into the form, sent back with the submission."""
    return rx.el.input(type="hidden", name=name, value=value)


def _offline_row(label_key: str, value, element_id: str, code: bool = False) -> rx.Component:
    """One of the bank details; a code (IBAN, BIC, reference) in a fixed-width font, on
    one line, to be copied as it is."""
    style = {"font_family": "monospace", "white_space": "nowrap"} if code else {}
    return rx.data_list.item(
        rx.data_list.label(t(label_key)),
        rx.data_list.value(rx.text(value, id=element_id, **style)),
    )


def offline_instructions(S) -> rx.Component:
    """How to pay the order form just left to pay by transfer or cheque: the bank details
    or the cheque address, the reference to quote, and the order form's PDF."""
    o = S.offline
    return rx.cond(
        o.contains("id"),
        rx.card(
            stack(
                rx.heading(o["title"], size="3", as_="h3", id="offline-title"),
                rx.text(o["how"], size="2"),
                rx.cond(
                    o["method"] == "transfer",
                    rx.data_list.root(
                        _offline_row("pay.offline_holder", o["holder"], "offline-holder"),
                        _offline_row("pay.offline_iban", o["iban"], "offline-iban", code=True),
                        _offline_row("pay.offline_bic", o["bic"], "offline-bic", code=True),
                        _offline_row("pay.offline_bank", o["bank"], "offline-bank"),
                        _offline_row(
                            "pay.offline_reference", o["reference"], "offline-reference", code=True
                        ),
                        orientation="vertical",
                        size="2",
                        gap="2",
                    ),
                    rx.text(
                        o["address"],
                        white_space="pre-line",
                        font_weight="medium",
                        id="offline-address",
                    ),
                ),
                rx.text(t("pay.offline_after"), size="2", color_scheme="gray"),
                rx.cond(
                    o["pdf"] != "",
                    rx.link(
                        rx.icon("file-down", size=16),
                        t("pay.offline_pdf"),
                        href="/files/order-forms/" + o["id"] + ".pdf",
                        is_external=True,
                        id="offline-pdf",
                        display="inline-flex",
                        align_items="center",
                        gap="0.4em",
                    ),
                ),
            ),
            width="100%",
            id="offline-instructions",
        ),
    )


def payment_panel(
    S,
    on_submit,
    submit_key: str,
    form_id: str,
    extra: list[rx.Component] | None = None,
    seen: list[tuple[str, rx.Var]] | None = None,
    instructions: bool = True,
) -> rx.Component:
    """`extra`: more fields of the same form, shown above the pay button (consents).
    `seen`: what the customer is shown and pays for (amount, expiry date, years), rendered
    into the form beside its idempotency key, so that the server acts on what was seen.
    `instructions`: show how to pay an order form left to pay offline inside the panel
    (a page that hides the panel afterwards shows them itself)."""
    return rx.form(
        hidden("pay_key", S.pay_key),
        *[hidden(name, value) for name, value in (seen or [])],
        stack(
            _method_select(S),
            rx.match(
                S.method,
                ("card", _card_fields(S)),
                ("saved_card", _saved_card_select(S)),
                ("credit", rx.text(t("pay.credit_balance"), " ", S.credit, id="credit-balance")),
                rx.text(t("pay.offline_hint"), size="2", color_scheme="gray"),
            ),
            *(extra or []),
            rx.button(
                rx.cond(S.pay_done, t("pay.paid_button"), t(submit_key)),
                type="submit",
                size="3",
                loading=S.paying,
                disabled=S.pay_done,
                width="100%",
                id=f"{form_id}-submit",
            ),
            rx.cond(
                S.pay_message != "",
                rx.callout(
                    S.pay_message,
                    icon=rx.cond(S.pay_ok, "circle-check", "triangle-alert"),
                    color_scheme=rx.cond(S.pay_ok, "green", "red"),
                    id="pay-message",
                    role="alert",
                    width="100%",
                ),
            ),
            *([offline_instructions(S)] if instructions else []),
        ),
        on_submit=tokenize_then(on_submit, form_id),
        reset_on_submit=False,
        no_validate=True,
        id=form_id,
        width="100%",
    )
