"""One product: its details by kind, what the customer can change, and renewing it."""

from __future__ import annotations

import asyncio
import dataclasses
import re

import reflex as rx

from o2portal.accounts.models import Customer
from o2portal.accounts.sessions import CurrentUser
from o2portal.billing import invoices as billing
from o2portal.billing.models import Invoice
from o2portal.billing.renewals import RenewalQuote, quote_renewal, renew_product
from o2portal.catalog.offers import offer_name, offer_names
from o2portal.core import clock, formatting
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.i18n import translate
from o2portal.products import contacts
from o2portal.products import customer as products
from o2portal.products.contacts import Right
from o2portal.products.models import Product
from o2portal.web import live
from o2portal.web.customer.services.certificate import CertificateProductState
from o2portal.web.customer.services.trade import ProductTradeState
from o2portal.web.doors import chained_only
from o2portal.web.guards import client_ip, require_customer
from o2portal.web.helpers import document_row, refusal, send_mail_soon, translated
from o2portal.web.payment import (
    PaymentFields,
    card_options,
    submitted_date,
    submitted_int,
)
from o2portal.web.session import customer_of, language_of, read_as_customer

_PATH_ID = re.compile(r"/services/(\d{1,12})/?$")
# A contact's open page hears of a revocation at once (web/live.py); it also looks for
# itself this often in case the news was missed, for at most WATCH_SECONDS.
CHECK_SECONDS = 60.0
WATCH_SECONDS = 2 * 3600


async def follow_access(state: ProductState, customer_id: int) -> None:
    """The loop behind a contact's product page (a plain function: not callable by
    name): when their access goes, the page drops the product and says so. Every handler
    checks the access again on the server anyway (products/contacts.py)."""
    async with state:
        product_id = state.product_id

    async def still() -> bool:
        return await asyncio.to_thread(contacts.may, customer_id, product_id, Right.SEE)

    # Called by name by someone who is no contact of it: no loop.
    if not product_id or not await still():
        return
    lost = await live.until_lost(
        contacts.topic(customer_id), still, every=CHECK_SECONDS, lasting=WATCH_SECONDS
    )
    if not lost:
        return
    async with state:
        if state.product_id != product_id:
            return
        state._forget()
        state.access_removed = True


@dataclasses.dataclass
class _Seen:
    """What the product page reads of the database (ProductState._read)."""

    product: Product | None
    contact_role: str = ""
    holder_name: str = ""
    offer: str = ""
    may_renew: bool = False
    invoices: list[Invoice] = dataclasses.field(default_factory=list)
    cards: list[dict[str, str]] = dataclasses.field(default_factory=list)
    quote: RenewalQuote | str | None = None


class ProductState(PaymentFields, rx.State):
    found: bool = True
    product_id: int = 0
    kind: str = ""
    name: str = ""
    details: list[dict[str, str]] = []
    status: str = ""
    status_label: str = ""
    expiry: str = ""
    days_left: str = ""
    auto_renew: bool = False
    auto_renew_note: str = ""
    registrar_lock: bool = False
    nameservers: list[str] = []
    ns_errors: dict[str, str] = {}
    ns_message: str = ""
    auth_code: str = ""
    auth_error: str = ""
    invoices: list[dict[str, str]] = []
    years: str = "1"
    renewable: bool = False
    quote: dict[str, str] = {}
    quote_error: str = ""
    # Not renewable yet (a certificate, before its window): when it will be, in words.
    renew_opens: str = ""
    # What the quote shows, rendered into the renewal form beside its key.
    seen_expiry: str = ""
    seen_ttc: str = ""
    # Seen by a contact of its holder (products/contacts.py): their role, the holder's
    # name; the page then shows only what the role allows.
    contact_role: str = ""
    holder_name: str = ""
    access_removed: bool = False
    # The holder, or a contact whose role renews (administrative): the renewal panel,
    # paid with the caller's own means; the form and invoice are the holder's.
    may_renew: bool = False

    def _forget(self) -> None:
        """Nothing of a product the caller may not (or no longer) see stays on the page."""
        self.found, self.contact_role, self.holder_name = False, "", ""
        self.kind = self.name = self.status = self.status_label = ""
        self.expiry = self.days_left = ""
        self.details, self.nameservers, self.invoices = [], [], []
        self.quote, self.renewable, self.auth_code = {}, False, ""
        self.renew_opens = ""
        self.may_renew = False

    def _product_id_from_path(self) -> int:
        match = _PATH_ID.search(self.router.url.path or "")
        return int(match.group(1)) if match else 0

    def _read(self, customer: Customer) -> _Seen:
        """Everything the page shows of the product for this customer, read in one
        worker thread (the handler's one hop off the event loop)."""
        customer_id = customer.id
        try:
            product, role, holder = contacts.product_for(customer_id, self.product_id)
        except NotAllowed:
            return _Seen(product=None)
        seen = _Seen(product=product, contact_role=role, holder_name=holder)
        seen.offer = offer_name(offer_names(), product.kind, product.offer_code)
        seen.may_renew = not role or Right.RENEW in contacts.RIGHTS.get(role, frozenset())
        if not role:
            # Never the holder's invoices or cards to a contact; an administrative
            # contact renews with their own means (their cards and credit).
            seen.invoices = billing.product_invoices(customer_id, product.id)
        if seen.may_renew:
            seen.cards = card_options(customer_id)
            seen.quote = self._quote(customer)
        return seen

    def _quote(self, customer: Customer) -> RenewalQuote | str | None:
        """The renewal's quote for the years chosen, or the refusal's key; None while the
        panel keeps showing what was just paid."""
        if self.pay_done:
            return None
        try:
            return quote_renewal(customer.id, self.product_id, int(self.years), caller=customer)
        except InvalidInput as exc:
            return next(iter(exc.errors.values()))

    def _show(self, seen: _Seen, user: CurrentUser, lang: str) -> None:
        product = seen.product
        if product is None:
            self._forget()
            return
        self.found = True
        self.contact_role, self.holder_name = seen.contact_role, seen.holder_name
        today = clock.today()
        status = products.display_status(product, today)
        self.kind, self.name = product.kind, product.name
        self.status, self.status_label = status, translate(f"status.{status}", lang)
        self.expiry = formatting.day(product.expiry_date, lang)
        self.days_left = formatting.days_left((product.expiry_date - today).days, lang)
        self.auto_renew = product.auto_renew
        self.registrar_lock = product.registrar_lock
        self.nameservers = (products.nameservers_of(product) + ["", "", "", ""])[:4]
        self.details = _details(product, lang, seen.offer)
        self.may_renew = seen.may_renew
        self.invoices = [document_row(i, lang) for i in seen.invoices]
        if not self.may_renew:
            self.renewable, self.quote = False, {}
            return
        self._put_means(seen.cards, user, lang)
        if not self.contact_role:
            self._say_how_it_renews(lang)  # auto-renewal is the holder's own
        self._show_quote(seen.quote, lang)

    async def _fill(self) -> None:
        user, lang, seen = await read_as_customer(self, lambda u: self._read(u.customer))
        self._show(seen, user, lang)

    async def _requote(self, user: CurrentUser) -> None:
        lang = await language_of(self)
        self._show_quote(await asyncio.to_thread(self._quote, user.customer), lang)

    def _show_quote(self, quote: RenewalQuote | str | None, lang: str) -> None:
        if quote is None:
            return  # the panel keeps showing what was just paid, under a disabled button
        self.quote, self.quote_error, self.renewable = {}, "", False
        self.renew_opens = ""
        if isinstance(quote, str):
            if quote.startswith("renew.too_early"):
                self.renew_opens = refusal(quote, lang)  # not an error: a date to come back
            else:
                self.quote_error = refusal(quote, lang)
            return
        self.renewable = True
        self.seen_expiry = quote.current_expiry.isoformat()
        self.seen_ttc = str(quote.totals.ttc)
        self.quote = {
            "lines": " + ".join(line.description for line in quote.lines),
            "ht": formatting.money(quote.totals.ht, lang),
            "vat": formatting.money(quote.totals.vat, lang),
            "vat_rate": f"{quote.vat_rate_bp // 100} %",
            "ttc": formatting.money(quote.totals.ttc, lang),
            "new_expiry": formatting.day(quote.new_expiry, lang),
            "mention": quote.vat_mention or "",
            "restore": "1" if quote.needs_restore else "",
        }

    @rx.event
    async def load(self):
        self.product_id = self._product_id_from_path()
        self.years, self.auth_code, self.ns_message, self.ns_errors = "1", "", "", {}
        self.auth_error = ""
        self.pay_message, self.pay_errors, self.pay_ok, self.paying = "", {}, False, False
        self.offline = {}
        self.access_removed = False
        self._arm()
        # The page's sections (the certificate, the change of holder) are read in the
        # same hop and sent in the same update: one event, one render in the browser.
        certificate = await self.get_state(CertificateProductState)
        trade = await self.get_state(ProductTradeState)
        certificate._open(self.product_id)
        trade._open(self.product_id)

        def read(user: CurrentUser):
            me = user.customer.id
            return self._read(user.customer), certificate._read(me), trade._read(me)

        user, lang, (seen, certificate_view, trade_view) = await read_as_customer(self, read)
        self._show(seen, user, lang)
        certificate._show(certificate_view, lang)
        trade._show(trade_view, lang)
        if self.found and self.contact_role:
            return ProductState.watch_access

    # One loop per tab, stopped with its page (as web/thread.py's follow_thread).
    @rx.event(background=True, supersedes=True)
    @chained_only
    async def watch_access(self):
        """A contact's open page loses the product as soon as the holder (or staff)
        takes their access back: the news comes after the revocation's commit."""
        user = require_customer(self)  # called by name: nobody else may start one
        await follow_access(self, user.customer.id)

    @rx.event
    async def set_years(self, value: str):
        user = await customer_of(self)
        self.years = value if value in ("1", "2", "3") else "1"
        self.pay_message, self.pay_ok = "", False
        self._arm()
        await self._requote(user)

    @rx.event
    async def again(self):
        """After a renewal went through: another one, with a fresh quote and key."""
        user = await customer_of(self)
        self.pay_message, self.pay_ok = "", False
        self._arm()
        await self._requote(user)

    @rx.event
    async def renew(self, form: dict):
        """Confirm the renewal: order form, payment, invoice, new expiry. The key, the
        years, the expiry date and the amount are those of the submitted form."""
        user = await customer_of(self)
        if self.paying:
            return
        started = await self._start_payment(
            form,
            lambda f: (
                submitted_int(f, "seen_years"),
                submitted_date(f, "seen_expiry"),
                submitted_int(f, "seen_ttc"),
            ),
        )
        if started is None:
            return
        (years, expected_expiry, expected_ttc), choice = started
        lang = await language_of(self)
        self.paying = True
        yield
        try:
            outcome = await self._pay(
                renew_product,
                user,
                form,
                choice,
                product_id=self.product_id,
                years=years,
                expected_expiry=expected_expiry,
                expected_ttc_cents=expected_ttc,
            )
        except (InvalidInput, NotAllowed) as exc:
            errors = getattr(exc, "errors", None) or {"years": "error.unexpected"}
            self.pay_message = refusal(next(iter(errors.values())), lang)
            self._arm()
            was_contact = bool(self.contact_role)
            await self._fill()
            # A contact whose access was just taken back: the page says so.
            self.access_removed = was_contact and not self.found
            return
        finally:
            self.paying = False
        self._paid(outcome, lang)
        await self._show_offline(user, outcome, lang)
        await self._fill()

    @rx.event
    async def save_nameservers(self, form: dict):
        user = await customer_of(self)
        lang = await language_of(self)
        self.ns_errors, self.ns_message = {}, ""
        # Every nsN sent, not only the four fields shown: a fifth is refused, not dropped.
        values = [str(form.get(f"ns{i}", ""))[:300] for i in range(1, 17)]
        try:
            # The registrar is told right after the commit: off the event loop.
            saved = await asyncio.to_thread(
                products.update_nameservers,
                user.customer.id,
                self.product_id,
                values,
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.ns_errors = await translated(self, exc.errors)
            return
        except NotAllowed:
            if not self.contact_role:
                raise
            # A contact whose access was just taken back: the page says so.
            await self._fill()
            self.access_removed = not self.found
            return
        self.nameservers = (saved + ["", "", "", ""])[:4]
        self.ns_message = translate("product.ns_saved", lang)
        if self.contact_role:
            send_mail_soon()  # the holder is told of what their contact did

    @rx.event
    async def show_auth_code(self):
        user = await customer_of(self)
        self.auth_error = ""
        try:
            # It may ask the registrar: off the event loop.
            self.auth_code = await asyncio.to_thread(
                products.reveal_auth_code, user.customer.id, self.product_id, ip=client_ip(self)
            )
        except InvalidInput as exc:
            self.auth_error = (await translated(self, exc.errors)).get("auth_code", "")

    @rx.event
    async def set_lock(self, value: bool):
        user = await customer_of(self)
        self.registrar_lock = await asyncio.to_thread(
            products.set_registrar_lock,
            user.customer.id,
            self.product_id,
            bool(value),
            ip=client_ip(self),
        )

    @rx.event
    async def set_auto_renew(self, value: bool):
        user = await customer_of(self)
        self.auto_renew = await asyncio.to_thread(
            products.set_auto_renew, user.customer.id, self.product_id, value, ip=client_ip(self)
        )
        self._say_how_it_renews(await language_of(self))

    def _say_how_it_renews(self, lang: str) -> None:
        """With auto-renewal on and no card saved, say what will happen and how to save
        one (the saved cards are those the payment panel shows: `cards`)."""
        on_without_card = self.auto_renew and not self.cards
        self.auto_renew_note = (
            translate("product.auto_renew_no_card", lang) if on_without_card else ""
        )


def _details(product, lang: str, offer: str) -> list[dict[str, str]]:
    t = lambda key: translate(key, lang)  # noqa: E731
    pairs: list[tuple[str, str]] = [
        (t("col.kind"), t(f"kind.{product.kind}")),
        (t("col.offer"), offer),
        (t("product.start"), formatting.day(product.start_date, lang)),
    ]
    if product.kind == "hosting":
        pairs += [
            (t("product.username"), product.hosting_username or ""),
            (t("product.server"), product.hosting_server or ""),
            (t("product.disk"), f"{(product.quota_disk_mb or 0) // 1024} Go"),
            (t("product.mailboxes"), str(product.quota_email_accounts or 0)),
            (t("product.databases"), str(product.quota_databases or 0)),
        ]
    elif product.kind == "server":
        pairs += [(t("product.ip"), product.ip_address or "")]
        pairs += [(key, str(value)) for key, value in products.server_specs_of(product).items()]
    return [{"label": label, "value": value} for label, value in pairs if value]
