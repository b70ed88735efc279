"""What the demo holds, as data: its people (staff and customers), their products,
their order forms; and the one clock rule of the demo, every date relative to today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from o2portal.core import clock

DEMO_PASSWORD = "Demo-o2portal-2026"
ADMIN_EMAIL = "admin@o2portal.example"
# The demo staff's second factor (the staff area needs one): public, as their password is.
# `o2portal demo-code` prints its current code; an authenticator app takes it too.
DEMO_STAFF_TOTP_SECRET = "O2PORTALDEMOSTAFFSECONDFACTORXYZ"
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
    "swiss": (
        "Entreprise suisse (Chocolaterie Alpine SA) : hors de l'UE, sans TVA française",
        {
            "email": "chocolaterie@o2portal.example",
            "account_type": "entreprise",
            "first_name": "Léa",
            "last_name": "Favre",
            "company_name": "Chocolaterie Alpine SA",
            "phone": "+41215551234",
            "address_line1": "Rue du Bourg 8",
            "postal_code": "1003",
            "city": "Lausanne",
            "country": "CH",
        },
        1.5,
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
    # Chocolaterie Alpine SA
    ProductSpec("s-alpine-ch", "swiss", "domain", "chocolaterie-alpine.ch", "ch",
                started_days_ago=5),
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
    OrderSpec("swiss", "order", 5, "card", (LineSpec("register", "s-alpine-ch"),)),
    OrderSpec("paul", "order", 3, "card", (LineSpec("register", "p-bernard-fr"),)),
    # Order forms still waiting for a bank transfer.
    OrderSpec("client", "renewal", 2, "transfer", (LineSpec("renew", "m-photo-fr"),),
              paid=False),
    OrderSpec("business", "renewal", 1, "transfer", (
        LineSpec("renew", "a-hosting"),
        LineSpec("renew", "a-lumiere-fr"),
    ), paid=False),
]  # fmt: skip


@dataclass(frozen=True)
class CreditNoteSpec:
    """A credit note on the invoice of a demo order (its owner and days ago)."""

    owner: str
    order_days_ago: int
    amount_ht_cents: int
    reason: str
    days_ago: int


# One in this month and one in the month before, whenever the demo is made (the VAT
# report nets them): a refund by transfer, which leaves the account credit as it is.
CREDIT_NOTES: list[CreditNoteSpec] = [
    CreditNoteSpec("client", 20, 500, "Geste commercial : interruption de service", 0),
    CreditNoteSpec("belgian", 40, 1000, "Remise accordée sur l'hébergement", 32),
]


def morning(day: date) -> datetime:
    """09:00 in Paris on that day, as aware UTC."""
    return datetime.combine(day, time(9, 0), tzinfo=clock.PARIS).astimezone(UTC)
