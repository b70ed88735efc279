"""Pieces of an SSL certificate's part shared by the customer's product page and staff's:
the DNS records its domain control waits for, the links to its files, and asking the
certificate authority now."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import reflex as rx

from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import download_link
from o2portal.web.helpers import refusal


def records_table(records, element_id: str) -> rx.Component:
    """The TXT records (dicts of name, type, value) as a table."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(t("ssl.record_name")),
                rx.table.column_header_cell(t("ssl.record_type")),
                rx.table.column_header_cell(t("ssl.record_value")),
            )
        ),
        rx.table.body(
            rx.foreach(
                records,
                lambda r: rx.table.row(
                    rx.table.cell(rx.code(r["name"]), class_name="o2-break"),
                    rx.table.cell(r["type"]),
                    rx.table.cell(rx.code(r["value"]), class_name="o2-break"),
                ),
            )
        ),
        id=element_id,
        width="100%",
    )


def certificate_files(base, element_id: str) -> rx.Component:
    """The certificate, its chain and both, from the guarded routes under `base` (never
    the key: its own link is the owner's alone)."""
    return rx.hstack(
        download_link("file-down", "ssl.download_certificate", base + "/certificate.pem"),
        download_link("file-down", "ssl.download_chain", base + "/chain.pem"),
        download_link("file-down", "ssl.download_fullchain", base + "/fullchain.pem"),
        spacing="4",
        wrap="wrap",
        id=element_id,
    )


async def ask_the_ca(check: Callable[[], object], lang: str) -> tuple[str, str, bool]:
    """Run a "Vérifier" (`check`: the door's call) off the event loop: (what went well,
    what did not, whether the certificate is still the asker's to see)."""
    try:
        await asyncio.to_thread(check)
    except InvalidInput as exc:
        return "", refusal(next(iter(exc.errors.values())), lang), True
    except NotAllowed:
        return "", "", False
    return translate("ssl.issued_now", lang), "", True
