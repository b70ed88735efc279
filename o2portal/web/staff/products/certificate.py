"""/admin/products/<id> for an SSL certificate: its names, type, state, the DNS records
its domain control waits for, serial, validity, issuer, revocation, the certificate and
chain to download (the guarded route lets staff read them; never the private key), and
"Vérifier maintenant" (support and admin, audited)."""

from __future__ import annotations

import asyncio
import re

import reflex as rx

from o2portal.core import formatting
from o2portal.core.i18n import translate
from o2portal.products import staff as domain
from o2portal.products.certificates import CertificateView
from o2portal.web.components.certificates import ask_the_ca, certificate_files, records_table
from o2portal.web.components.i18n import t
from o2portal.web.components.tables import section
from o2portal.web.guards import client_ip
from o2portal.web.session import language_of, load_staff, staff_of

_PATH_ID = re.compile(r"/admin/products/(\d{1,12})/?$")


def _state(view: CertificateView) -> str:
    if view.revoked_at is not None:
        return "revoked"
    if view.ended:
        return "revoking" if view.serial else "ended"
    return view.state


def _key(view: CertificateView, lang: str) -> str:
    if not view.portal_key:
        return translate("admin.ssl_key_customer", lang)
    if view.key_waiting:
        return translate("admin.ssl_key_waiting", lang)
    if view.key_downloaded_at is not None:
        when = formatting.day(view.key_downloaded_at, lang)
        return translate("admin.ssl_key_taken", lang, date=when)
    return ""


class StaffCertificateState(rx.State):
    is_certificate: bool = False
    product_id: int = 0
    info: dict[str, str] = {}
    records: list[dict[str, str]] = []
    # "Vérifier maintenant" is offered while the certificate waits and the product lives.
    can_check: bool = False
    checking: bool = False
    check_message: str = ""
    check_error: str = ""

    async def _fill(self) -> None:
        user, lang = await load_staff(self)
        view = await asyncio.to_thread(domain.certificate_of, user.actor, self.product_id)
        self.is_certificate = view is not None
        if view is None:
            self.info, self.records, self.can_check = {}, [], False
            return
        state = _state(view)
        moment = lambda value: formatting.moment(value, lang) if value else ""  # noqa: E731
        self.info = {
            "names": ", ".join(view.names),
            "type": translate(f"admin.ssl_type_{view.kind}", lang),
            "organization": view.organization,
            "state": state,
            "state_label": translate(f"admin.ssl_state_{state}", lang),
            "dcv": translate(
                "admin.ssl_dcv_automatic" if view.automatic else "admin.ssl_dcv_manual", lang
            ),
            "serial": view.serial,
            "not_before": moment(view.not_before),
            "not_after": moment(view.not_after),
            "issuer": view.issuer,
            "revoked": (
                translate("admin.ssl_revoked_at", lang, date=moment(view.revoked_at))
                if view.revoked_at
                else translate("no", lang)
            ),
            "key": _key(view, lang),
            "next_check": moment(view.next_check_at),
            "checks_stopped": moment(view.checks_stopped_at),
            "files": "1" if view.has_certificate else "",
        }
        self.records = [
            {"name": c.record_name, "type": "TXT", "value": c.value}
            for c in view.challenges
            if view.state == "pending"
        ]
        self.can_check = view.state == "pending" and not view.ended and bool(view.challenges)

    @rx.event
    async def load(self):
        match = _PATH_ID.search(self.router.url.path or "")
        self.product_id = int(match.group(1)) if match else 0
        self.check_message, self.check_error, self.checking = "", "", False
        await self._fill()

    @rx.event
    async def verify(self):
        """Ask the certificate authority to look for the records now (off the event
        loop: it asks DNS)."""
        user = await staff_of(self)
        lang = await language_of(self)
        if self.checking:
            return
        self.check_message, self.check_error, self.checking = "", "", True
        yield
        try:
            self.check_message, self.check_error, self.is_certificate = await ask_the_ca(
                lambda: domain.verify_certificate(user.actor, self.product_id, ip=client_ip(self)),
                lang,
            )
        finally:
            self.checking = False
        await self._fill()


SC = StaffCertificateState


def _item(key: str, value, element_id: str | None = None) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(t(key)), rx.data_list.value(rx.text(value, id=element_id))
    )


def _when(key: str, value, element_id: str) -> rx.Component:
    return rx.cond(value != "", _item(key, value, element_id))


def _records() -> rx.Component:
    return rx.cond(
        SC.records.length() > 0,
        rx.vstack(
            rx.heading(t("admin.ssl_records"), size="3", as_="h3"),
            records_table(SC.records, "staff-ssl-records"),
            width="100%",
            spacing="2",
        ),
    )


def _check() -> rx.Component:
    return rx.cond(
        SC.can_check,
        rx.hstack(
            rx.button(
                t("admin.ssl_check_now"),
                on_click=SC.verify,
                loading=SC.checking,
                id="staff-ssl-verify",
            ),
            rx.text(t("admin.ssl_check_hint"), size="1", color_scheme="gray"),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
    )


def _files(base) -> rx.Component:
    return rx.cond(
        SC.info["files"] != "",
        rx.vstack(
            rx.text(t("admin.ssl_files"), size="2", weight="bold"),
            certificate_files(base, "staff-ssl-files"),
            spacing="1",
        ),
    )


def certificate_part() -> rx.Component:
    """The certificate's part of its staff page (nothing for another kind)."""
    i = SC.info
    base = "/files/certificates/" + SC.product_id.to_string()
    return rx.cond(
        SC.is_certificate,
        section(
            "admin.ssl_title",
            rx.data_list.root(
                _item("ssl.names", i["names"], "staff-ssl-names"),
                _item("admin.ssl_type", i["type"], "staff-ssl-type"),
                _when("ssl.organization", i["organization"], "staff-ssl-organization"),
                rx.data_list.item(
                    rx.data_list.label(t("admin.ssl_state")),
                    rx.data_list.value(
                        rx.badge(
                            i["state_label"],
                            color_scheme=rx.match(
                                i["state"],
                                ("issued", "green"),
                                ("pending", "amber"),
                                "red",
                            ),
                            id="staff-ssl-state",
                        )
                    ),
                ),
                _item("admin.ssl_dcv", i["dcv"]),
                _when("admin.ssl_next_check", i["next_check"], "staff-ssl-next-check"),
                _when("admin.ssl_checks_stopped", i["checks_stopped"], "staff-ssl-stopped"),
                _when("ssl.serial", i["serial"], "staff-ssl-serial"),
                _when("admin.ssl_not_before", i["not_before"], "staff-ssl-not-before"),
                _when("admin.ssl_not_after", i["not_after"], "staff-ssl-not-after"),
                _when("admin.ssl_issuer", i["issuer"], "staff-ssl-issuer"),
                _item("admin.ssl_revoked", i["revoked"], "staff-ssl-revoked"),
                _when("admin.ssl_key", i["key"], "staff-ssl-key"),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            _records(),
            _check(),
            rx.cond(
                SC.check_error != "",
                rx.text(SC.check_error, color_scheme="red", size="2", id="staff-ssl-error"),
            ),
            rx.cond(
                SC.check_message != "",
                rx.text(SC.check_message, color_scheme="green", size="2", id="staff-ssl-ok"),
            ),
            _files(base),
        ),
    )
