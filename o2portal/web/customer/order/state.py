"""Commander: hosting, domain names, managed servers, the cart and its checkout.

The cart lives on the server (`_cart`, intentions only); what the page shows is computed
from the catalogue each time, and the checkout computes it once more."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from o2portal.accounts.sessions import CurrentUser
from o2portal.billing import client_orders
from o2portal.billing.orders import (
    CartItem,
    checkout,
    price_cart,
    search_domain,
)
from o2portal.catalog.offers import active_catalogue
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.formatting import money
from o2portal.core.i18n import translate
from o2portal.products.customer import domain_names_of
from o2portal.web.customer.order.certificate import CertificateOrderFields
from o2portal.web.customer.order.history_state import OrderHistoryState
from o2portal.web.guards import client_ip
from o2portal.web.helpers import form_text, given_id, send_mail_soon
from o2portal.web.payment import (
    SETTLED,
    PaymentFields,
    form_strings,
    new_key,
    outcome_message,
    submitted_int,
)
from o2portal.web.session import customer_of, language_of, load_customer


def message(key: str, lang: str) -> str:
    """'error.domain_taken|exemple.fr' → the message with the name in it."""
    base, _, arg = key.partition("|")
    return translate(base, lang, name=arg) if arg else translate(base, lang)


class OrderState(CertificateOrderFields, PaymentFields, rx.State):
    tab: str = "hosting"
    hosting: list[dict[str, str]] = []
    servers: list[dict[str, str]] = []
    tier: str = "cloud"
    hosting_years: str = "1"
    hosting_mode: str = "register"
    hosting_domain: str = ""
    my_domains: list[str] = []
    hosting_error: str = ""
    query: str = ""
    found: dict[str, str] = {}
    domain_years: str = "1"
    domain_error: str = ""
    auth_error: str = ""
    cart_rows: list[dict[str, str]] = []
    totals: dict[str, str] = {}
    promo: str = ""
    promo_error: str = ""
    cart_error: str = ""
    consumer: bool = True
    checkout_errors: dict[str, str] = {}
    done_message: str = ""
    seen_ttc: str = ""  # the cart's total, rendered into the payment form
    # "Pour un client": the cart is proposed to a client's account instead of paid.
    for_client: bool = False
    # Rendered into the proposal's form: the same form sent twice makes one proposal.
    propose_key: str = ""
    propose_errors: dict[str, str] = {}
    proposed_message: str = ""
    proposing: bool = False
    _cart: list[dict] = []
    _promo_code: str = ""

    # ------------------------------------------------------------ loading

    @rx.event
    async def load(self):
        user, lang = await load_customer(self)
        catalogue = await asyncio.to_thread(active_catalogue)
        self.hosting = [
            {
                "code": o.code,
                "name": o.name,
                "first_year": money(o.first_year_cents, lang),
                "renew_1y": money(o.renew_1y_cents, lang),
                "renew_2y": money(o.renew_2y_cents, lang),
                "renew_3y": money(o.renew_3y_cents, lang),
                "specs": f"{o.disk_gb} Go · {o.cpu_cores} vCPU · {o.ram_gb} Go RAM",
                "description": o.description,
            }
            for o in catalogue.hosting
        ]
        self.servers = [
            {
                "code": s.code,
                "name": s.name,
                "monthly": money(s.monthly_cents, lang),
                "yearly": money(s.monthly_cents * 12, lang),
                "specs": f"{s.cpu} · {s.ram_gb} Go RAM · {s.storage} · {s.bandwidth}",
            }
            for s in catalogue.servers
        ]
        self._show_certificates(catalogue.certificates, lang)
        self.my_domains = await asyncio.to_thread(domain_names_of, user.customer.id)
        self.consumer = user.customer.account_type == "particulier"
        await self._show_means(user, lang)
        if not self.pay_key or self.pay_done:
            self._arm()
        self.pay_message, self.pay_errors, self.paying, self.offline = "", {}, False, {}
        self.done_message = ""
        self.propose_errors, self.proposed_message, self.proposing = {}, "", False
        self.propose_key = self.propose_key or new_key()
        await self._refresh_cart(user)
        await self._show_history()

    async def _show_history(self) -> None:
        """Mes commandes from its first page (a payment puts its order form on top)."""
        history = await self.get_state(OrderHistoryState)
        await history._fill(1)

    async def _refresh_cart(self, user: CurrentUser) -> None:
        lang = await language_of(self)
        self.cart_error, self.seen_ttc = "", ""
        if not self._cart:
            self.cart_rows, self.totals = [], {}
            return
        items = [CartItem(**item) for item in self._cart]
        try:
            quote = await asyncio.to_thread(price_cart, user.customer.id, items, self._promo_code)
        except InvalidInput as exc:
            key = next(iter(exc.errors.values()))
            if "promo" in exc.errors:
                self._promo_code, self.promo_error = "", message(key, lang)
                quote = await asyncio.to_thread(price_cart, user.customer.id, items, "")
            else:
                self.cart_error = message(key, lang)
                self.cart_rows = [
                    {"index": str(i), "description": item["domain"] or item["code"], "ht": ""}
                    for i, item in enumerate(self._cart)
                ]
                self.totals = {}
                return
        rows, index = [], 0
        for line in quote.lines:
            if line.action == "discount":
                rows.append(
                    {
                        "index": "",
                        "description": line.description,
                        "ht": money(line.total_ht_cents, lang),
                    }
                )
                continue
            is_item_start = line.action in ("hosting", "server", "ssl") or (
                line.action in ("register", "transfer")
                and not line.details.get("free_with_hosting")
            )
            rows.append(
                {
                    "index": str(index) if is_item_start else "",
                    "description": line.description,
                    "ht": money(line.total_ht_cents, lang),
                }
            )
            if is_item_start:
                index += 1
        self.cart_rows = rows
        self.seen_ttc = str(quote.totals.ttc)
        self.totals = {
            "ht": money(quote.totals.ht, lang),
            "vat": money(quote.totals.vat, lang),
            "ttc": money(quote.totals.ttc, lang),
            "rate": f"{quote.vat_rate_bp // 100} %",
            "mention": quote.vat_mention or "",
        }

    async def _add(self, item: CartItem, error_field: str) -> bool:
        """Add an item if it prices (the check of names and offers happens there)."""
        user = await customer_of(self)
        lang = await language_of(self)
        candidate = [CartItem(**i) for i in self._cart] + [item]
        try:
            await asyncio.to_thread(price_cart, user.customer.id, candidate, "")
        except InvalidInput as exc:
            setattr(self, error_field, message(next(iter(exc.errors.values())), lang))
            return False
        self._cart = [dataclasses.asdict(i) for i in candidate]
        self.done_message, self.proposed_message = "", ""
        if self.pay_done:
            self._arm()  # a new order begins
        await self._refresh_cart(user)
        return True

    # ------------------------------------------------------------ choices

    @rx.event
    def set_for_client(self, value: str):
        """Order for me ("me") or propose the cart to a client ("client")."""
        self.for_client = value == "client"
        self.propose_errors = {}

    @rx.event
    async def propose(self, form: dict):
        """Propose the cart to the client whose account has the email typed: nothing is
        paid; the client accepts or refuses on their own /contacts. The form's key makes
        the same form sent twice one proposal."""
        user = await customer_of(self)
        lang = await language_of(self)
        if self.proposing:
            return
        self.propose_errors, self.proposed_message = {}, ""
        email = form_text(form, "client_email", 300)
        key = form_text(form, "propose_key", 100)
        self.proposing = True
        yield
        try:
            await asyncio.to_thread(
                client_orders.propose,
                user.customer.id,
                [CartItem(**item) for item in self._cart],
                email,
                key=key,
                promo_code=self._promo_code,
                ip=client_ip(self),
            )
        except InvalidInput as exc:
            self.propose_errors = {k: message(v, lang) for k, v in exc.errors.items()}
            return
        finally:
            self.proposing = False
        send_mail_soon()
        self.proposed_message = translate("order.proposed", lang, email=email)
        self._cart, self._promo_code, self.promo = [], "", ""
        self.propose_key = new_key()  # the next cart is another proposal
        await self._refresh_cart(user)

    @rx.event
    def set_tab(self, value: str):
        if value in ("hosting", "domain", "server", "ssl"):
            self.tab = value

    @rx.event
    def choose_tier(self, code: str):
        if any(o["code"] == code for o in self.hosting):
            self.tier = code

    @rx.event
    def set_hosting_years(self, value: str):
        self.hosting_years = value if value in ("1", "2", "3") else "1"

    @rx.event
    def set_hosting_mode(self, value: str):
        self.hosting_mode = value if value in ("register", "existing") else "register"
        self.hosting_error = ""

    @rx.event
    def set_hosting_domain(self, value: str):
        self.hosting_domain = value[:300]

    @rx.event
    async def add_hosting(self):
        self.hosting_error = ""
        item = CartItem(
            "hosting",
            code=self.tier,
            years=int(self.hosting_years),
            domain=self.hosting_domain.strip()[:300],
            action=self.hosting_mode,
        )
        if await self._add(item, "hosting_error"):
            self.hosting_domain = ""

    @rx.event
    def set_query(self, value: str):
        self.query = value[:300]

    @rx.event
    async def search(self):
        user = await customer_of(self)
        lang = await language_of(self)
        self.domain_error, self.auth_error, self.found = "", "", {}
        try:
            result = await asyncio.to_thread(search_domain, self.query, user.customer.id)
        except InvalidInput as exc:
            self.domain_error = message(next(iter(exc.errors.values())), lang)
            return
        self.found = {
            "name": result.name,
            "display": result.display,
            "available": "1" if result.available else "",
            "register": money(result.register_cents, lang),
            "transfer": money(result.transfer_cents, lang),
            # Managed here: never offered for transfer (yours, or a change of holder).
            "managed": result.managed_here,
        }

    @rx.event
    def set_domain_years(self, value: str):
        self.domain_years = value if 1 <= given_id(value) <= 10 else "1"

    @rx.event
    async def add_domain(self):
        await customer_of(self)
        if not self.found.get("available"):
            return
        item = CartItem(
            "domain", domain=self.found["name"], action="register", years=int(self.domain_years)
        )
        if await self._add(item, "domain_error"):
            self.found = {}
            self.query = ""

    @rx.event
    async def add_transfer(self, form: dict):
        await customer_of(self)
        if not self.found or self.found.get("available") or self.found.get("managed"):
            return
        self.auth_error = ""
        code = str(form.get("auth_code", ""))[:100].strip()
        item = CartItem("domain", domain=self.found["name"], action="transfer", auth_code=code)
        if await self._add(item, "auth_error"):
            self.found = {}
            self.query = ""

    @rx.event
    async def add_server(self, code: str):
        await self._add(CartItem("server", code=code[:32]), "cart_error")

    @rx.event
    async def remove_item(self, index: str):
        user = await customer_of(self)
        position = given_id(index)  # 0 for anything but digits: "0" itself is the first
        if (position or index == "0") and position < len(self._cart):
            self._cart = [item for i, item in enumerate(self._cart) if i != position]
        await self._refresh_cart(user)

    @rx.event
    def set_promo(self, value: str):
        self.promo = value[:40]

    @rx.event
    async def apply_promo(self):
        user = await customer_of(self)
        lang = await language_of(self)
        self.promo_error = ""
        items = [CartItem(**item) for item in self._cart]
        try:
            await asyncio.to_thread(price_cart, user.customer.id, items, self.promo)
        except InvalidInput as exc:
            self.promo_error = message(next(iter(exc.errors.values())), lang)
            return
        self._promo_code = self.promo.strip().upper()
        await self._refresh_cart(user)

    @rx.event
    async def remove_promo(self):
        user = await customer_of(self)
        self._promo_code, self.promo = "", ""
        await self._refresh_cart(user)

    # ------------------------------------------------------------ checkout

    @rx.event
    async def pay(self, form: dict):
        """Order and pay the cart, with the key and the total of the submitted form: the
        same form sent twice makes one order and reads the first outcome."""
        user = await customer_of(self)
        if self.paying:
            return
        self.checkout_errors = {}
        started = await self._start_payment(form, lambda f: submitted_int(f, "seen_ttc"))
        if started is None:
            return
        expected_ttc, choice = started
        data = form_strings(form)
        lang = await language_of(self)
        self.paying = True
        yield
        try:
            outcome = await self._pay(
                checkout,
                user,
                form,
                choice,
                items=[CartItem(**item) for item in self._cart],
                promo_code=self._promo_code,
                terms_accepted=data.get("terms") in ("on", "true"),
                withdrawal_waived=data.get("withdrawal") in ("on", "true"),
                expected_ttc_cents=expected_ttc,
            )
        except InvalidInput as exc:
            errors = {k: message(v, lang) for k, v in exc.errors.items()}
            self.checkout_errors = errors
            self.pay_message = next(iter(errors.values()))
            if "cart" in exc.errors:
                await self._refresh_cart(user)  # show the cart as it is now
            return
        except NotAllowed:
            self.pay_message = translate("error.unexpected", lang)
            return
        finally:
            self.paying = False
        self.pay_ok = outcome.status in SETTLED
        if outcome.status == "paid":
            self.pay_message = ""
            self.done_message = translate("order.done", lang, invoice=outcome.invoice_number)
        else:
            self.pay_message = outcome_message(outcome, lang)
        await self._show_offline(user, outcome, lang)
        if self.pay_ok:
            self.pay_done = True
            self._cart, self._promo_code, self.promo = [], "", ""
            send_mail_soon()
            await self._refresh_cart(user)
        else:
            self._arm()  # a refusal is that key's answer: trying again is a new payment
        await self._show_history()
