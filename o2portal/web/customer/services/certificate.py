"""/services/[id] for an SSL certificate: the DNS record that proves control of the
domain, "Vérifier", and the files (certificate, chain, the key the portal made, once).

The files come from guarded routes (web/routes.py); this state holds no key and no
certificate, only what the page says about them."""

from __future__ import annotations

import reflex as rx

from o2portal.core import formatting
from o2portal.core.errors import NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import certificates
from o2portal.web.components.certificates import ask_the_ca, certificate_files, records_table
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import download_link, section
from o2portal.web.guards import client_ip
from o2portal.web.session import customer_of, language_of, read_as_customer


class CertificateProductState(rx.State):
    is_certificate: bool = False
    product_id: int = 0
    state: str = ""
    names: str = ""
    validation: str = ""
    organization: str = ""
    automatic: bool = False
    records: list[dict[str, str]] = []
    serial: str = ""
    valid_from: str = ""
    valid_until: str = ""
    has_certificate: bool = False
    key_waiting: bool = False
    key_downloaded: str = ""
    verify_message: str = ""
    verify_error: str = ""
    checking: bool = False
    # Terminated: revoked, nothing offered any more.
    ended: bool = False
    # What the periodic check of the records does (or did: when it stopped).
    checks_note: str = ""

    def _read(self, customer_id: int) -> certificates.CertificateView | None:
        """What the section shows (in a worker thread): None when the product is no
        certificate of this customer's."""
        try:
            return certificates.certificate_view(customer_id, self.product_id)
        except NotAllowed:
            return None

    def _show(self, view: certificates.CertificateView | None, lang: str) -> None:
        if view is None:
            self.is_certificate = False
            return
        self.is_certificate = True
        self.state = view.state
        self.names = ", ".join(view.names)
        self.validation = translate(f"ssl.validation_{view.validation}", lang)
        self.organization = view.organization
        self.automatic = view.automatic
        self.records = [
            {"name": c.record_name, "type": "TXT", "value": c.value} for c in view.challenges
        ]
        self.serial = view.serial
        self.valid_from = formatting.day(view.not_before, lang) if view.not_before else ""
        self.valid_until = formatting.day(view.not_after, lang) if view.not_after else ""
        self.has_certificate = view.has_certificate
        self.key_waiting = view.key_waiting
        self.key_downloaded = (
            formatting.day(view.key_downloaded_at, lang) if view.key_downloaded_at else ""
        )
        self.ended = view.ended
        if view.checks_stopped_at is not None:
            when = formatting.day(view.checks_stopped_at, lang)
            self.checks_note = translate("ssl.checks_stopped", lang, date=when)
        elif view.next_check_at is not None:
            self.checks_note = translate("ssl.checks_auto", lang)
        else:
            self.checks_note = ""

    async def _fill(self) -> None:
        _, lang, view = await read_as_customer(self, lambda user: self._read(user.customer.id))
        self._show(view, lang)

    def _open(self, product_id: int) -> None:
        """The section of a product page being opened, before it is read."""
        self.product_id = product_id
        self.verify_message, self.verify_error, self.checking = "", "", False

    @rx.event
    async def verify(self):
        """Ask the certificate authority to look for the record now (it may take a few
        seconds: off the event loop)."""
        user = await customer_of(self)
        lang = await language_of(self)
        if self.checking:
            return
        self.verify_message, self.verify_error, self.checking = "", "", True
        yield
        try:
            self.verify_message, self.verify_error, self.is_certificate = await ask_the_ca(
                lambda: certificates.verify_certificate(
                    user.customer.id, self.product_id, ip=client_ip(self)
                ),
                lang,
            )
        finally:
            self.checking = False
        await self._fill()

    @rx.event
    def key_taken(self):
        """The key's link was followed: it will not be offered again (the route erases
        it); the page says so without waiting for a reload."""
        self.key_waiting = False


C = CertificateProductState


def _records() -> rx.Component:
    return rx.cond(
        C.records.length() > 0,
        rx.vstack(
            rx.text(
                rx.cond(C.automatic, t("ssl.dcv_automatic"), t("ssl.dcv_manual")),
                size="2",
            ),
            records_table(C.records, "ssl-records"),
            rx.button(
                t("ssl.verify"),
                on_click=C.verify,
                loading=C.checking,
                id="ssl-verify",
            ),
            rx.cond(
                C.checks_note != "",
                rx.text(C.checks_note, size="2", color_scheme="gray", id="ssl-checks"),
            ),
            width="100%",
            spacing="2",
        ),
        rx.text(t("ssl.opening"), size="2", id="ssl-opening"),
    )


def certificate_section() -> rx.Component:
    """The certificate's part of its product page (nothing for another kind)."""
    base = "/files/certificates/" + C.product_id.to_string()
    return rx.cond(
        C.is_certificate,
        section(
            "ssl.title",
            rx.data_list.root(
                rx.data_list.item(
                    rx.data_list.label(t("ssl.names")),
                    rx.data_list.value(C.names, id="ssl-names"),
                ),
                rx.data_list.item(
                    rx.data_list.label(t("ssl.validation")), rx.data_list.value(C.validation)
                ),
                rx.cond(
                    C.organization != "",
                    rx.data_list.item(
                        rx.data_list.label(t("ssl.organization")),
                        rx.data_list.value(C.organization),
                    ),
                ),
                rx.cond(
                    C.serial != "",
                    rx.data_list.item(
                        rx.data_list.label(t("ssl.serial")),
                        rx.data_list.value(rx.code(C.serial), id="ssl-serial"),
                    ),
                ),
                rx.cond(
                    C.valid_until != "",
                    rx.data_list.item(
                        rx.data_list.label(t("ssl.valid")),
                        rx.data_list.value(C.valid_from, " → ", C.valid_until),
                    ),
                ),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            rx.cond(
                C.ended,
                rx.callout(
                    rx.cond(C.has_certificate, t("ssl.ended"), t("ssl.ended_unissued")),
                    icon="ban",
                    color_scheme="red",
                    id="ssl-ended",
                ),
                rx.cond(
                    C.state == "pending",
                    rx.callout(
                        t("ssl.pending"), icon="hourglass", color_scheme="amber", id="ssl-pending"
                    ),
                    rx.callout(
                        t("ssl.issued"), icon="circle-check", color_scheme="green", id="ssl-issued"
                    ),
                ),
            ),
            rx.cond((C.state == "pending") & ~C.ended, _records()),
            rx.cond(
                C.verify_error != "",
                rx.text(C.verify_error, color_scheme="red", size="2", id="ssl-verify-error"),
            ),
            rx.cond(
                C.verify_message != "",
                rx.text(C.verify_message, color_scheme="green", size="2", id="ssl-verify-ok"),
            ),
            rx.cond(C.has_certificate & ~C.ended, certificate_files(base, "ssl-files")),
            rx.cond(
                C.key_waiting,
                rx.vstack(
                    rx.callout(t("ssl.key_once"), icon="triangle-alert", color_scheme="orange"),
                    download_link(
                        "key-round",
                        "ssl.download_key",
                        base + "/key.pem",
                        on_click=C.key_taken,
                        id="ssl-key",
                    ),
                    spacing="2",
                ),
                rx.cond(
                    C.key_downloaded != "",
                    rx.text(
                        t("ssl.key_gone"),
                        " (",
                        C.key_downloaded,
                        ")",
                        size="2",
                        color_scheme="gray",
                        id="ssl-key-gone",
                    ),
                ),
            ),
        ),
    )
