"""Demo data: staff, customers, their products, invoices and tickets.

`seed_demo` is idempotent: the catalogue and FAQ are completed on every run,
the people and their history are created once (keyed on the admin's email).
Every date is relative to `clock.today()` so the demo always has products
expiring soon, one expired domain and recent invoices.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from o2portal.accounts.models import Customer, SavedCard
from o2portal.accounts.passwords import hash_password
from o2portal.billing.invoices import customer_snapshot, issue_invoice, vat_rule
from o2portal.billing.models import Order, OrderLine, Payment
from o2portal.catalog import pricing
from o2portal.catalog.defaults import ensure_catalogue
from o2portal.catalog.models import HostingOffer, ServerModel
from o2portal.catalog.pricing import PriceBook, PricedLine
from o2portal.content.default_faq import ensure_faq
from o2portal.content.models import Announcement
from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.core.money import vat_cents
from o2portal.integrations.gateway import vault_test_card
from o2portal.integrations.models import ProvisionedAccount, RegistryDomain
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from o2portal.support.models import Ticket, TicketMessage

DEMO_PASSWORD = "Demo-o2portal-2026"
ADMIN_EMAIL = "admin@o2portal.example"
NAMESERVERS = ["ns1.o2portal.example", "ns2.o2portal.example"]
RESERVED_NAMES = ["google.fr", "o2portal.fr", "o2portal.com", "o2portal.eu"]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    description: str


# --- People -------------------------------------------------------------------

_SELLER_ADDRESS = {
    "address_line1": "12 rue de l'Hébergement",
    "postal_code": "63000",
    "city": "Clermont-Ferrand",
    "country": "FR",
}

# key -> (login description, Customer fields, years since sign-up)
# (what the account shows, its fields, how many years ago it was opened)
PEOPLE: dict[str, tuple[str, dict, float]] = {
    "admin": (
        "Administratrice : accès complet à /admin",
        {
            "email": ADMIN_EMAIL,
            "role": "admin",
            "first_name": "Sophie",
            "last_name": "Laurent",
            "phone": "+33473123456",
            **_SELLER_ADDRESS,
        },
        4,
    ),
    "support": (
        "Support : file des tickets, réponses et notes internes",
        {
            "email": "support@o2portal.example",
            "role": "support",
            "first_name": "Thomas",
            "last_name": "Moreau",
            "phone": "+33473123457",
            **_SELLER_ADDRESS,
        },
        3,
    ),
    "client": (
        "Particulière (Marie Dupont) : hébergement Cloud, domaines à échéance proche "
        "et expiré, factures, bon de commande impayé, tickets",
        {
            "email": "client@o2portal.example",
            "first_name": "Marie",
            "last_name": "Dupont",
            "phone": "+33612345678",
            "address_line1": "14 rue des Carmes",
            "address_line2": "Appartement 3B",
            "postal_code": "45000",
            "city": "Orléans",
            "country": "FR",
        },
        3,
    ),
    "business": (
        "Entreprise française (Atelier Lumière SARL) : hébergement Pro, serveur infogéré, TVA 20 %",
        {
            "email": "entreprise@o2portal.example",
            "account_type": "entreprise",
            "first_name": "Claire",
            "last_name": "Martin",
            "company_name": "Atelier Lumière SARL",
            "siret": "73282932000074",
            "vat_number": None,  # computed from the SIREN below
            "phone": "+33556123456",
            "address_line1": "5 place du Parlement",
            "postal_code": "33000",
            "city": "Bordeaux",
            "country": "FR",
        },
        5,
    ),
    "belgian": (
        "Entreprise belge (Brasserie du Canal SRL) : autoliquidation de la TVA",
        {
            "email": "brasserie@o2portal.example",
            "account_type": "entreprise",
            "first_name": "Lucas",
            "last_name": "Peeters",
            "company_name": "Brasserie du Canal SRL",
            "vat_number": "BE0776091951",
            "phone": "+3225551234",
            "address_line1": "Quai du Commerce 12",
            "postal_code": "1000",
            "city": "Bruxelles",
            "country": "BE",
        },
        2,
    ),
    "paul": (
        "Particulier (Paul Bernard) : un nom de domaine récent",
        {
            "email": "paul.bernard@o2portal.example",
            "first_name": "Paul",
            "last_name": "Bernard",
            "phone": "+33478123456",
            "address_line1": "8 avenue Jean Jaurès",
            "postal_code": "69007",
            "city": "Lyon",
            "country": "FR",
        },
        0.85,  # a customer of this year: the staff chart of new customers shows him
    ),
}


def french_vat_number(siren: str) -> str:
    """FR + two-digit key + SIREN, the intra-EU VAT number of a French company."""
    return f"FR{int(siren + '12') % 97:02d}{siren}"


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(fields["email"], DEMO_PASSWORD, fields.get("role", "customer"), text)
        for text, fields, _years in PEOPLE.values()
    ]


# --- Products -------------------------------------------------------------------


@dataclass(frozen=True)
class ProductSpec:
    """A demo product; either started N days ago or expiring in N days."""

    key: str
    owner: str
    kind: str
    name: str
    offer_code: str
    years: int = 1
    started_days_ago: int | None = None
    expires_in_days: int | None = None
    auto_renew: bool = False
    status: str = "active"
    username: str | None = None
    server: str | None = None
    ip: str | None = None


PRODUCTS: list[ProductSpec] = [
    # Marie Dupont
    ProductSpec("m-hosting", "client", "hosting", "dupont-photo.fr", "cloud",
                started_days_ago=75, auto_renew=True,
                username="mdupont1", server="web12.o2portal.example"),
    ProductSpec("m-photo-fr", "client", "domain", "dupont-photo.fr", "fr",
                years=3, expires_in_days=20),
    ProductSpec("m-dupont-com", "client", "domain", "marie-dupont.com", "com",
                expires_in_days=45, auto_renew=True),
    ProductSpec("m-atelier-net", "client", "domain", "atelier-marie.net", "net",
                years=2, expires_in_days=-10, status="expired"),
    ProductSpec("m-photographie-fr", "client", "domain", "marie-photographie.fr", "fr",
                started_days_ago=75),
    ProductSpec("m-famille-org", "client", "domain", "dupont-famille.org", "org",
                years=3, started_days_ago=20),
    # Atelier Lumière SARL
    ProductSpec("a-hosting", "business", "hosting", "atelier-lumiere.fr", "pro",
                expires_in_days=35, auto_renew=True,
                username="atelierlum", server="web07.o2portal.example"),
    ProductSpec("a-lumiere-fr", "business", "domain", "atelier-lumiere.fr", "fr",
                expires_in_days=35),
    ProductSpec("a-lumiere-com", "business", "domain", "atelier-lumiere.com", "com",
                years=3, expires_in_days=390, auto_renew=True),
    ProductSpec("a-server", "business", "server", "srv1.atelier-lumiere.fr", "infogere-m",
                started_days_ago=60, ip="203.0.113.42"),
    # Brasserie du Canal SRL
    ProductSpec("b-hosting", "belgian", "hosting", "brasserie-canal.be", "grow",
                started_days_ago=40, username="brcanal", server="web09.o2portal.example"),
    ProductSpec("b-canal-be", "belgian", "domain", "brasserie-canal.be", "be",
                started_days_ago=40),
    ProductSpec("b-canal-eu", "belgian", "domain", "brasserie-canal.eu", "eu",
                expires_in_days=12),
    ProductSpec("b-canal-com", "belgian", "domain", "brasserie-canal.com", "com",
                started_days_ago=8),
    # Paul Bernard
    ProductSpec("p-bernard-fr", "paul", "domain", "paul-bernard.fr", "fr",
                started_days_ago=3),
    ProductSpec("p-bernard-io", "paul", "domain", "paulbernard.io", "io",
                expires_in_days=58),
]  # fmt: skip

# Quotas of a hosting account per tier: (emails, databases); disk comes from the offer.
HOSTING_QUOTAS = {"grow": (100, 50), "cloud": (500, 200), "pro": (1000, 500)}


# --- Orders and invoices --------------------------------------------------------


@dataclass(frozen=True)
class LineSpec:
    action: str  # hosting | register | renew | server
    product: str  # ProductSpec.key
    years: int = 1
    free: bool = False  # the domain offered with a hosting account


@dataclass(frozen=True)
class OrderSpec:
    owner: str
    kind: str  # order | renewal
    days_ago: int
    method: str  # card | transfer
    lines: tuple[LineSpec, ...]
    paid: bool = True


ORDERS: list[OrderSpec] = [
    OrderSpec("client", "order", 75, "card", (
        LineSpec("hosting", "m-hosting"),
        LineSpec("register", "m-photographie-fr", free=True),
    )),
    OrderSpec("business", "order", 60, "transfer", (LineSpec("server", "a-server"),)),
    OrderSpec("belgian", "order", 40, "card", (
        LineSpec("hosting", "b-hosting"),
        LineSpec("register", "b-canal-be", free=True),
    )),
    OrderSpec("client", "order", 20, "card", (LineSpec("register", "m-famille-org", 3),)),
    OrderSpec("business", "renewal", 10, "card", (LineSpec("renew", "a-lumiere-com"),)),
    OrderSpec("belgian", "order", 8, "card", (LineSpec("register", "b-canal-com"),)),
    OrderSpec("paul", "order", 3, "card", (LineSpec("register", "p-bernard-fr"),)),
    # Order forms still waiting for a bank transfer.
    OrderSpec("client", "renewal", 2, "transfer", (LineSpec("renew", "m-photo-fr"),),
              paid=False),
    OrderSpec("business", "renewal", 1, "transfer", (
        LineSpec("renew", "a-hosting"),
        LineSpec("renew", "a-lumiere-fr"),
    ), paid=False),
]  # fmt: skip


# --- Entry point ----------------------------------------------------------------


def seed_demo() -> list[DemoLogin]:
    """Fill an empty database with the demo; running it again changes nothing."""
    with transaction() as session:
        ensure_catalogue(session)
        ensure_faq(session)
        if not _already_seeded(session):
            _seed_people_and_history(session)
    return demo_logins()


def _already_seeded(session: Session) -> bool:
    found = session.exec(select(Customer.id).where(Customer.email == ADMIN_EMAIL)).first()
    return found is not None


def _seed_people_and_history(session: Session) -> None:
    password_hash = hash_password(DEMO_PASSWORD)  # bcrypt is slow: hash once
    people = {key: _add_person(session, key, password_hash) for key in PEOPLE}
    session.flush()
    _add_saved_cards(session, people)
    _reserve_names(session)
    products = {spec.key: _add_product(session, spec, people[spec.owner]) for spec in PRODUCTS}
    session.flush()
    _add_orders(session, people, products)
    _add_tickets(session, people, products)
    _add_announcement(session)
    _add_mail_history(session, people)
    session.flush()


# --- People ---------------------------------------------------------------------


def _add_person(session: Session, key: str, password_hash: str) -> Customer:
    _text, fields, years = PEOPLE[key]
    now = clock.now()
    joined = now - timedelta(days=365 * years + 17)
    customer = Customer(
        **fields,
        password_hash=password_hash,
        email_verified_at=joined + timedelta(minutes=12),
        terms_accepted_at=joined,
        created_at=joined,
    )
    if customer.siret and not customer.vat_number:
        customer.vat_number = french_vat_number(customer.siret[:9])
    session.add(customer)
    return customer


def _add_saved_cards(session: Session, people: dict[str, Customer]) -> None:
    """Auto-renewal needs a saved card: the local test gateway's success card."""
    year = clock.today().year
    for key in ("client", "business"):
        token = vault_test_card(session, "4242424242424242", 12, year + 3)
        session.add(
            SavedCard(
                customer_id=people[key].id,
                gateway_token=token,
                brand="Visa",
                last4="4242",
                exp_month=12,
                exp_year=year + 3,
            )
        )


def _reserve_names(session: Session) -> None:
    for name in RESERVED_NAMES:
        if session.exec(select(RegistryDomain.id).where(RegistryDomain.name == name)).first():
            continue
        session.add(RegistryDomain(name=name, reserved=True))


# --- Products -------------------------------------------------------------------


def _add_years(day: date, years: int) -> date:
    """Same day N years later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _product_dates(spec: ProductSpec) -> tuple[date, date]:
    today = clock.today()
    if spec.started_days_ago is not None:
        start = today - timedelta(days=spec.started_days_ago)
        return start, _add_years(start, spec.years)
    expiry = today + timedelta(days=spec.expires_in_days or 0)
    return _add_years(expiry, -spec.years), expiry


def _morning(day: date) -> datetime:
    """09:00 in Paris on that day, as aware UTC."""
    return datetime.combine(day, time(9, 0), tzinfo=clock.PARIS).astimezone(UTC)


def _add_product(session: Session, spec: ProductSpec, owner: Customer) -> Product:
    start, expiry = _product_dates(spec)
    product = Product(
        customer_id=owner.id,
        kind=spec.kind,
        name=spec.name,
        offer_code=spec.offer_code,
        status=spec.status,
        start_date=start,
        expiry_date=expiry,
        auto_renew=spec.auto_renew,
        created_at=min(_morning(start), clock.now()),
    )
    if spec.kind == "hosting":
        _fill_hosting(session, product, spec)
    elif spec.kind == "domain":
        _fill_domain(session, product, owner)
    else:
        _fill_server(session, product, spec)
    session.add(product)
    return product


def _fill_hosting(session: Session, product: Product, spec: ProductSpec) -> None:
    offer = _hosting_offer(session, spec.offer_code)
    emails, databases = HOSTING_QUOTAS[spec.offer_code]
    product.hosting_username = spec.username
    product.hosting_server = spec.server
    product.quota_disk_mb = offer.disk_gb * 1024
    product.quota_email_accounts = emails
    product.quota_databases = databases
    session.add(
        ProvisionedAccount(
            username=spec.username,
            server=spec.server,
            main_domain=spec.name,
            status="active",
            created_at=product.created_at,
        )
    )


def _fill_domain(session: Session, product: Product, owner: Customer) -> None:
    product.nameservers_json = json.dumps(NAMESERVERS)
    product.registrar_lock = True
    product.auth_code = _new_auth_code()
    session.add(
        RegistryDomain(
            name=product.name,
            holder_ref=f"customer:{owner.id}",
            registered_at=product.created_at,
            expires_on=product.expiry_date,
        )
    )


def _new_auth_code() -> str:
    """A registry-style transfer code: 16 characters with a digit and punctuation."""
    return f"{secrets.token_urlsafe(12)}-{secrets.randbelow(10)}"


def _fill_server(session: Session, product: Product, spec: ProductSpec) -> None:
    model = _server_model(session, spec.offer_code)
    product.ip_address = spec.ip
    product.server_specs_json = json.dumps(
        {
            "model": model.name,
            "cpu": model.cpu,
            "ram_gb": model.ram_gb,
            "storage": model.storage,
            "bandwidth": model.bandwidth,
            "os": "Debian 12",
            "datacenter": "Clermont-Ferrand",
        },
        ensure_ascii=False,
    )


def _hosting_offer(session: Session, code: str) -> HostingOffer:
    return session.exec(select(HostingOffer).where(HostingOffer.code == code)).one()


def _server_model(session: Session, code: str) -> ServerModel:
    return session.exec(select(ServerModel).where(ServerModel.code == code)).one()


# --- Orders, invoices, payments -------------------------------------------------


@dataclass
class _Totals:
    vat_rate_bp: int
    vat_mention: str | None
    lines: list[OrderLine] = field(default_factory=list)

    @property
    def ht(self) -> int:
        return sum(line.total_ht_cents for line in self.lines)

    @property
    def vat(self) -> int:
        return vat_cents(self.ht, self.vat_rate_bp)


def _priced_line(session: Session, spec: LineSpec, product: Product, rate_bp: int) -> OrderLine:
    line = _describe(PriceBook(session), spec, product)
    return OrderLine(
        action=spec.action,
        product_id=product.id,
        description=line.description,
        item_code=line.item_code,
        years=spec.years,
        quantity=1,
        unit_price_ht_cents=line.total_ht_cents,
        total_ht_cents=line.total_ht_cents,
        vat_rate_bp=rate_bp,
        details_json=json.dumps(line.details),
    )


def _describe(book: PriceBook, spec: LineSpec, product: Product) -> PricedLine:
    """One demo line, priced as the cart and the renewal quote price it."""
    if spec.action == "renew":
        return book.renewal_lines(product, spec.years)[0]
    if product.kind == "hosting":
        offer = book.hosting[product.offer_code]
        return pricing.hosting_line(offer, product.name, product.name, spec.years)
    if product.kind == "server":
        return pricing.server_line(book.servers[product.offer_code], product.name, spec.years)
    tld = book.tld_of(product)
    if spec.free:
        return pricing.free_domain_line(product.name, product.name, tld.tld)
    return pricing.registration_line(tld, product.name, product.name, spec.years)


def _add_orders(session: Session, people: dict[str, Customer], products: dict) -> None:
    # Oldest first, so that invoice numbers follow the issue dates.
    floor = _year_start() + timedelta(hours=1)
    for spec in sorted(ORDERS, key=lambda o: -o.days_ago):
        moment = clock.now() - timedelta(days=spec.days_ago)
        if spec.paid:
            # Every demo invoice belongs to this year's sequence.
            moment = max(moment, floor)
            floor = moment + timedelta(minutes=5)
        _add_order(session, spec, people, products, moment)


def _year_start() -> datetime:
    first_day = date(clock.today().year, 1, 1)
    return datetime.combine(first_day, time(0, 0), tzinfo=clock.PARIS).astimezone(UTC)


def _add_order(
    session: Session,
    spec: OrderSpec,
    people: dict[str, Customer],
    products: dict[str, Product],
    moment: datetime,
) -> None:
    customer = people[spec.owner]
    rule = vat_rule(customer)
    rate_bp, mention = rule.rate_bp, rule.mention
    totals = _Totals(rate_bp, mention)
    totals.lines = [
        _priced_line(session, line, products[line.product], rate_bp) for line in spec.lines
    ]
    ordered_at = moment - timedelta(days=2 if spec.method == "transfer" and spec.paid else 0)
    order = Order(
        customer_id=customer.id,
        kind=spec.kind,
        status="paid" if spec.paid else "unpaid",
        idempotency_key=f"demo-{secrets.token_hex(12)}",
        payment_method=spec.method,
        total_ht_cents=totals.ht,
        total_vat_cents=totals.vat,
        total_ttc_cents=totals.ht + totals.vat,
        vat_rate_bp=rate_bp,
        vat_mention=mention,
        billing_snapshot_json=json.dumps(customer_snapshot(customer), ensure_ascii=False),
        withdrawal_waived_at=ordered_at if customer.account_type == "particulier" else None,
        terms_accepted_at=ordered_at,
        created_at=ordered_at,
        paid_at=moment if spec.paid else None,
    )
    session.add(order)
    session.flush()
    for line in totals.lines:
        line.order_id = order.id
        session.add(line)
    if spec.paid:
        _add_payment(session, order, people["admin"], moment)
        issue_invoice(session, order, method=order.payment_method, paid_at=moment)


def _add_payment(session: Session, order: Order, staff: Customer, moment: datetime) -> None:
    by_card = order.payment_method == "card"
    session.add(
        Payment(
            order_id=order.id,
            customer_id=order.customer_id,
            method=order.payment_method,
            amount_cents=order.total_ttc_cents,
            status="succeeded",
            idempotency_key=f"demo-pay-{secrets.token_hex(12)}",
            gateway_ref=f"test_{secrets.token_hex(10)}" if by_card else None,
            card_last4="4242" if by_card else None,
            created_at=moment - timedelta(seconds=30),
            completed_at=moment,
            recorded_by_id=None if by_card else staff.id,
        )
    )


# --- Tickets and announcement -----------------------------------------------------

_OPEN_TICKET_BODY = """\
Bonjour,

Depuis ce matin, le formulaire de contact de **dupont-photo.fr** renvoie une
erreur 500. Voici le script appelé par le formulaire :

```python
import smtplib
from email.message import EmailMessage


def send_contact(name: str, sender: str, text: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"Contact de {name}"
    msg["From"] = sender
    msg["To"] = "contact@dupont-photo.fr"
    msg.set_content(text)
    with smtplib.SMTP("localhost", 587) as smtp:
        smtp.starttls()
        smtp.send_message(msg)
```

Et l'erreur dans le journal :

```
smtplib.SMTPSenderRefused: (553, b'5.7.1 Sender address rejected')
```

Merci d'avance,
Marie Dupont"""

_CLOSED_TICKET_QUESTION = """\
Bonjour,

Je ne retrouve pas la facture de mon hébergement Cloud. Où puis-je la télécharger ?

Marie"""

_CLOSED_TICKET_REPLY = """\
Bonjour Madame Dupont,

Toutes vos factures sont dans le menu **Factures** : cliquez sur le numéro de la
facture puis sur **Télécharger le PDF**. Elles sont aussi listées sur la page de
votre hébergement, dans **Mes comptes**.

Belle journée,
Thomas — Support O2Portal"""

_BUSINESS_QUESTION = """\
Bonjour,

Nous souhaitons migrer notre boutique (PrestaShop, ~12 Go) de l'hébergement Pro
vers le serveur infogéré **srv1.atelier-lumiere.fr**. Pouvez-vous vous en charger
et nous indiquer la coupure à prévoir ?

Claire Martin — Atelier Lumière"""

_BUSINESS_NOTE = """\
Note interne : client Pro + serveur M, migration offerte (geste commercial validé).
Prévoir la bascule DNS un mardi soir, TTL à abaisser 48 h avant."""

_BUSINESS_REPLY = """\
Bonjour Madame Martin,

Bien sûr, la migration est prise en charge sans frais. Nous proposons de la
réaliser mardi prochain à partir de 21 h ; la coupure de la boutique ne dépassera
pas 15 minutes. Pouvez-vous nous confirmer ce créneau ?

Thomas — Support O2Portal"""


def _add_ticket(
    session: Session, customer: Customer, product: Product | None, days_ago: float, **fields
) -> Ticket:
    created = clock.now() - timedelta(days=days_ago)
    ticket = Ticket(
        customer_id=customer.id,
        product_id=product.id if product else None,
        created_at=created,
        updated_at=created,
        **fields,
    )
    session.add(ticket)
    session.flush()
    return ticket


def _add_message(
    session: Session, ticket: Ticket, author: Customer, body: str, hours_later: float, **flags
) -> None:
    moment = ticket.created_at + timedelta(hours=hours_later)
    session.add(
        TicketMessage(
            ticket_id=ticket.id,
            author_id=author.id,
            is_staff=author.is_staff,
            body=body,
            created_at=moment,
            **flags,
        )
    )
    ticket.updated_at = max(ticket.updated_at, moment)
    session.add(ticket)


def _add_tickets(session: Session, people: dict[str, Customer], products: dict) -> None:
    marie, claire, support, admin = (people[k] for k in ("client", "business", "support", "admin"))

    ticket = _add_ticket(
        session, marie, products["m-hosting"], 0.2,
        subject="Erreur 500 sur le formulaire de contact", department="technique",
        priority="haute", status="open",
    )  # fmt: skip
    _add_message(session, ticket, marie, _OPEN_TICKET_BODY, 0)

    ticket = _add_ticket(
        session, marie, products["m-hosting"], 60,
        subject="Où trouver ma facture ?", department="facturation",
        status="closed", assigned_to_id=support.id,
    )  # fmt: skip
    _add_message(session, ticket, marie, _CLOSED_TICKET_QUESTION, 0)
    _add_message(session, ticket, support, _CLOSED_TICKET_REPLY, 2)
    ticket.closed_at = ticket.created_at + timedelta(days=3)

    ticket = _add_ticket(
        session, claire, products["a-server"], 2,
        subject="Migration de la boutique vers le serveur infogéré", department="technique",
        priority="normale", status="answered", assigned_to_id=support.id,
    )  # fmt: skip
    _add_message(session, ticket, claire, _BUSINESS_QUESTION, 0)
    _add_message(session, ticket, admin, _BUSINESS_NOTE, 1, is_internal=True)
    _add_message(session, ticket, support, _BUSINESS_REPLY, 3)


def _add_announcement(session: Session) -> None:
    now = clock.now()
    day = clock.today() + timedelta(days=7)
    session.add(
        Announcement(
            title="Maintenance planifiée du serveur web12",
            body=(
                f"Le serveur **web12.o2portal.example** sera mis à jour le "
                f"{day:%d/%m/%Y} entre 23 h et 1 h (heure de Paris). Les sites qu'il "
                "héberge pourront être indisponibles quelques minutes pendant "
                "l'intervention. Aucune action n'est nécessaire de votre part."
            ),
            level="warning",
            starts_at=now - timedelta(hours=1),
            ends_at=_morning(day + timedelta(days=1)),
            published=True,
            created_at=now - timedelta(hours=1),
        )
    )


# --- Outbox -------------------------------------------------------------------------


def _add_mail_history(session: Session, people: dict[str, Customer]) -> None:
    """A few mails already sent and one that bounced, for the staff's emails page."""
    now = clock.now()
    client, paul = people["client"], people["paul"]
    sent = [
        (client, "welcome", "Bienvenue chez o2portal",
         "Bonjour Marie,\n\nConfirmez votre adresse : "
         "http://localhost:3000/verify-email?token=[retiré après envoi]\n", 30),
        (client, "invoice", "Votre facture o2portal",
         "Bonjour Marie,\n\nVotre facture est disponible dans votre espace client.\n", 12),
        (people["business"], "reminder", "Votre hébergement arrive à échéance",
         "Bonjour,\n\nVotre hébergement expire bientôt. Renouvelez-le depuis votre espace.\n",
         5),
    ]  # fmt: skip
    for owner, kind, subject, body, days in sent:
        moment = now - timedelta(days=days)
        session.add(
            OutboxEmail(
                customer_id=owner.id, kind=kind, to_addr=owner.email, subject=subject,
                body_text=body, status="sent", attempts=1, next_attempt_at=moment,
                created_at=moment, sent_at=moment + timedelta(seconds=3),
            )
        )  # fmt: skip
    failed_at = now - timedelta(days=2)
    session.add(
        OutboxEmail(
            customer_id=paul.id, kind="reminder", to_addr=paul.email,
            subject="Votre nom de domaine arrive à échéance",
            body_text="Bonjour Paul,\n\nVotre nom de domaine expire bientôt.\n",
            status="failed", attempts=1, next_attempt_at=failed_at, created_at=failed_at,
            last_error=f"refused: {{'{paul.email}': (550, b'5.1.1 Mailbox unavailable')}}",
        )
    )  # fmt: skip
