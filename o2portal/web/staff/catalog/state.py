"""Staff (admin only): the catalogue and its prices, extensions, server models, SSL
certificates, promo codes.

One edit form is open at a time (`form`); the row being edited is known on the server
(`_row_id`), so a submitted form cannot aim at another row than the one opened."""

from __future__ import annotations

import asyncio

import reflex as rx

from o2portal.catalog import staff as domain
from o2portal.core import formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.web.guards import client_ip, require_staff
from o2portal.web.helpers import given_id, translated
from o2portal.web.session import language_of, load_staff, staff_of

ADMIN = ("admin",)
FORMS = ("hosting", "tld", "new_tld", "server", "certificate", "new_promo")


def euros(cents: int, lang: str) -> str:
    """Cents as typed back into a price field: 3360 → '33,60' (FR) or '33.60' (EN)."""
    return f"{cents // 100}{',' if lang == 'fr' else '.'}{cents % 100:02d}"


def _number(text: str) -> int:
    return given_id(text)


class AdminCatalogState(rx.State):
    loaded: bool = False
    hosting: list[dict[str, str]] = []
    tlds: list[dict[str, str]] = []
    servers: list[dict[str, str]] = []
    certificates: list[dict[str, str]] = []
    promos: list[dict[str, str]] = []
    tld_page: int = 1
    tld_pages: int = 1
    promo_page: int = 1
    promo_pages: int = 1
    # The open form ("" or one of FORMS), its current values and its errors by field.
    form: str = ""
    edit: dict[str, str] = {}
    errors: dict[str, str] = {}
    message: str = ""
    _row_id: int = 0

    async def _fill(self) -> None:
        user, lang = await load_staff(self, ADMIN)
        staff = user.actor
        catalogue = await asyncio.to_thread(domain.staff_catalogue, staff, tld_page=self.tld_page)

        def money(cents: int) -> str:
            return formatting.money(cents, lang)

        def on_sale(active: bool) -> str:
            return "1" if active else ""

        self.hosting = [
            {
                "id": str(o.id),
                "code": o.code,
                "name": o.name,
                "first_year": money(o.first_year_cents),
                "renew_1y": money(o.renew_1y_cents),
                "renew_2y": money(o.renew_2y_cents),
                "renew_3y": money(o.renew_3y_cents),
                "active": on_sale(o.active),
            }
            for o in catalogue.hosting
        ]
        self.tlds = [
            {
                "id": str(r.id),
                "tld": r.tld,
                "slug": r.tld.replace(".", "-"),
                "register": money(r.register_cents),
                "renew": money(r.renew_cents),
                "transfer": money(r.transfer_cents),
                "restore": money(r.restore_cents),
                "active": on_sale(r.active),
            }
            for r in catalogue.tlds.rows
        ]
        self.tld_page, self.tld_pages = catalogue.tlds.page, catalogue.tlds.pages
        self.servers = [
            {
                "id": str(s.id),
                "code": s.code,
                "name": s.name,
                "monthly": money(s.monthly_cents),
                "yearly": money(s.monthly_cents * 12),
                "active": on_sale(s.active),
            }
            for s in catalogue.servers
        ]
        self.certificates = [
            {
                "id": str(c.id),
                "code": c.code,
                "name": c.name,
                "year": money(c.year_cents),
                "active": on_sale(c.active),
            }
            for c in catalogue.certificates
        ]
        promos = await asyncio.to_thread(domain.list_promo_codes, staff, page=self.promo_page)
        self.promo_page, self.promo_pages = promos.page, promos.pages
        self.promos = [
            {
                "id": str(p.id),
                "code": p.code,
                "discount": (
                    formatting.percent(p.value, lang)
                    if p.kind == "percent"
                    else money(p.value) + " HT"
                ),
                "validity": _validity(p, lang),
                "uses": f"{p.used_count} / {p.max_uses if p.max_uses is not None else '∞'}",
                "active": on_sale(p.active),
            }
            for p in promos.rows
        ]
        self.loaded = True

    def _open(self, form: str, row_id: int, values: dict[str, str]) -> None:
        self.form, self._row_id, self.edit = form, row_id, values
        self.errors, self.message = {}, ""

    async def _done(self, key: str, **values) -> None:
        lang = await language_of(self)
        self.form, self._row_id, self.edit, self.errors = "", 0, {}, {}
        self.message = translate(key, lang, **values)
        await self._fill()

    async def _refused(self, exc: Exception) -> None:
        lang = await language_of(self)
        if isinstance(exc, InvalidInput):
            self.errors = await translated(self, exc.errors)
        else:
            self.errors = {"form": translate("catalog.row_gone", lang)}

    # ------------------------------------------------------------ loading and paging

    @rx.event
    async def load(self):
        await staff_of(self, ADMIN)
        self.form, self._row_id, self.edit, self.errors, self.message = "", 0, {}, {}, ""
        self.tld_page = self.promo_page = 1
        await self._fill()

    @rx.event
    async def tld_next_page(self):
        await staff_of(self, ADMIN)
        self.tld_page += 1
        await self._fill()

    @rx.event
    async def tld_previous_page(self):
        await staff_of(self, ADMIN)
        self.tld_page = max(1, self.tld_page - 1)
        await self._fill()

    @rx.event
    async def promo_next_page(self):
        await staff_of(self, ADMIN)
        self.promo_page += 1
        await self._fill()

    @rx.event
    async def promo_previous_page(self):
        await staff_of(self, ADMIN)
        self.promo_page = max(1, self.promo_page - 1)
        await self._fill()

    # ------------------------------------------------------------ opening a form

    def _open_row(self, form: str, row, name: str, prices: tuple[str, ...], lang: str) -> None:
        """The edit form of a catalogue row: its name, its prices (`<price>_cents`, in
        euros as typed) and whether it is on sale."""
        values = {price: euros(getattr(row, f"{price}_cents"), lang) for price in prices}
        self._open(form, row.id, {"name": name, **values, "active": "1" if row.active else ""})

    @rx.event
    async def edit_hosting(self, offer_id: str):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        offer = await asyncio.to_thread(domain.hosting_offer, user.actor, _number(offer_id))
        if offer is not None:
            self._open_row("hosting", offer, offer.name, domain.HOSTING_PRICES, lang)

    @rx.event
    async def edit_tld(self, tld_id: str):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        row = await asyncio.to_thread(domain.tld_price, user.actor, _number(tld_id))
        if row is not None:
            self._open_row("tld", row, "." + row.tld, domain.TLD_PRICES, lang)

    @rx.event
    async def edit_server(self, server_id: str):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        server = await asyncio.to_thread(domain.server_model, user.actor, _number(server_id))
        if server is not None:
            self._open_row("server", server, server.name, ("monthly",), lang)

    @rx.event
    async def edit_certificate(self, offer_id: str):
        user = await staff_of(self, ADMIN)
        lang = await language_of(self)
        offer = await asyncio.to_thread(domain.certificate_offer, user.actor, _number(offer_id))
        if offer is not None:
            self._open_row("certificate", offer, offer.name, ("year",), lang)

    @rx.event
    def open_new_tld(self):
        require_staff(self, roles=ADMIN)
        self._open("new_tld", 0, {"active": "1"})

    @rx.event
    def open_new_promo(self):
        require_staff(self, roles=ADMIN)
        self._open("new_promo", 0, {})

    @rx.event
    def close_form(self):
        require_staff(self, roles=ADMIN)
        self._open("", 0, {})

    # ------------------------------------------------------------ saving

    async def _save(self, change, *args, done: str, shown: str) -> None:
        """Run one change of the catalogue; a refusal shows on the form, a success closes
        it and says which row changed (`shown`: the attribute that names it)."""
        try:
            row = await asyncio.to_thread(change, *args, ip=client_ip(self))
        except (InvalidInput, NotAllowed) as exc:
            await self._refused(exc)
            return
        await self._done(done, **{shown: getattr(row, shown)})

    async def _save_opened(self, user, opened: str, change, form: dict, shown: str) -> None:
        """Save the row of the form `opened`, if that form is the one open: the row is the
        one known on the server."""
        if self.form == opened:
            await self._save(
                change,
                user.actor,
                self._row_id,
                _strings(form),
                done=f"catalog.saved_{opened}",
                shown=shown,
            )

    @rx.event
    async def save_hosting(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_opened(user, "hosting", domain.update_hosting_offer, form, "name")

    @rx.event
    async def save_tld(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_opened(user, "tld", domain.update_tld_price, form, "tld")

    @rx.event
    async def add_tld(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save(
            domain.add_tld, user.actor, _strings(form), done="catalog.added_tld", shown="tld"
        )

    @rx.event
    async def save_server(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_opened(user, "server", domain.update_server_model, form, "name")

    @rx.event
    async def save_certificate(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save_opened(user, "certificate", domain.update_certificate_offer, form, "name")

    @rx.event
    async def create_promo(self, form: dict):
        user = await staff_of(self, ADMIN)
        await self._save(
            domain.create_promo_code,
            user.actor,
            _strings(form),
            done="catalog.created_promo",
            shown="code",
        )

    @rx.event
    async def deactivate_promo(self, promo_id: str):
        user = await staff_of(self, ADMIN)
        await self._save(
            domain.deactivate_promo_code,
            user.actor,
            _number(promo_id),
            done="catalog.deactivated_promo",
            shown="code",
        )


def _strings(form: dict) -> dict[str, str]:
    """Only text, and not much of it, reaches the domain from a browser form."""
    return {str(k)[:40]: str(v)[:40] for k, v in list((form or {}).items())[:20]}


def _validity(promo, lang: str) -> str:
    if promo.valid_from is None and promo.valid_until is None:
        return translate("catalog.always", lang)
    start = formatting.day(promo.valid_from, lang) if promo.valid_from else "…"
    end = formatting.day(promo.valid_until, lang) if promo.valid_until else "…"
    return f"{start} → {end}"
