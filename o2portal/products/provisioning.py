"""Creating what was ordered, once it is paid: hosting accounts on the control panel,
domain registrations, managed servers.

`Provisioner` is the interface a real control panel (cPanel/WHM) plugs in behind;
`LocalProvisioner` keeps its own book of accounts (provisioned_account).
"""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from typing import Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import OrderLine
from o2portal.catalog.models import HostingOffer, ServerModel
from o2portal.core import clock
from o2portal.integrations.models import ProvisionedAccount
from o2portal.integrations.registrar import registrar
from o2portal.products.expiry import add_years
from o2portal.products.models import Product, ProductStatus

DEFAULT_NAMESERVERS = ["ns1.o2portal.example", "ns2.o2portal.example"]
HOSTING_SERVERS = ("web11.o2portal.example", "web12.o2portal.example", "web13.o2portal.example")
NEW_PRODUCT_ACTIONS = ("hosting", "register", "transfer", "server")


class Provisioner(Protocol):
    def create_hosting_account(
        self, session: Session, customer: Customer, main_domain: str, offer: HostingOffer
    ) -> ProvisionedAccount: ...


def _username_base(customer: Customer, domain: str) -> str:
    text = unicodedata.normalize("NFKD", domain.split(".")[0] or customer.last_name)
    base = re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())
    if not base or not base[0].isalpha():
        base = "u" + base
    return base[:8]


class LocalProvisioner:
    def create_hosting_account(
        self, session: Session, customer: Customer, main_domain: str, offer: HostingOffer
    ) -> ProvisionedAccount:
        base = _username_base(customer, main_domain)
        username = base
        for n in range(1, 1000):
            taken = session.exec(
                select(ProvisionedAccount.id).where(ProvisionedAccount.username == username)
            ).first()
            if taken is None:
                break
            username = f"{base}{n}"
        count = session.exec(select(func.count()).select_from(ProvisionedAccount)).one()
        account = ProvisionedAccount(
            username=username,
            server=HOSTING_SERVERS[count % len(HOSTING_SERVERS)],
            main_domain=main_domain,
            status=ProductStatus.ACTIVE,
            created_at=clock.now(),
        )
        session.add(account)
        session.flush()
        return account


_provisioner: Provisioner = LocalProvisioner()


def provisioner() -> Provisioner:
    return _provisioner


def create_products(session: Session, order, line: OrderLine) -> Product:
    """The product a paid order line stands for, with its expiry date."""
    customer = session.get(Customer, order.customer_id)
    details = json.loads(line.details_json or "{}")
    today = clock.today()
    expiry = add_years(today, max(1, line.years))
    if line.action == "hosting":
        offer = session.exec(select(HostingOffer).where(HostingOffer.code == line.item_code)).one()
        main_domain = details["domain"]
        account = provisioner().create_hosting_account(session, customer, main_domain, offer)
        product = Product(
            customer_id=customer.id,
            kind="hosting",
            name=main_domain,
            offer_code=offer.code,
            start_date=today,
            expiry_date=expiry,
            hosting_username=account.username,
            hosting_server=account.server,
            quota_disk_mb=offer.disk_gb * 1024,
            quota_email_accounts=1000,
            quota_databases=1000,
        )
    elif line.action in ("register", "transfer"):
        name = line.item_code
        registrar().register(session, name, order.id, f"customer:{customer.id}", expiry)
        product = Product(
            customer_id=customer.id,
            kind="domain",
            name=name,
            offer_code=details["tld"],
            start_date=today,
            expiry_date=expiry,
            registrar_lock=True,
            auth_code=secrets.token_urlsafe(12),
            nameservers_json=json.dumps(DEFAULT_NAMESERVERS),
        )
    else:
        model = session.exec(select(ServerModel).where(ServerModel.code == line.item_code)).one()
        product = Product(
            customer_id=customer.id,
            kind="server",
            name=_unique_hostname(session, details["hostname"]),
            offer_code=model.code,
            start_date=today,
            expiry_date=expiry,
            ip_address=_next_ip(session),
            server_specs_json=json.dumps(
                {
                    "CPU": model.cpu,
                    "RAM": f"{model.ram_gb} Go",
                    "Stockage": model.storage,
                    "Bande passante": model.bandwidth,
                },
                ensure_ascii=False,
            ),
        )
    session.add(product)
    session.flush()
    line.product_id = product.id
    session.add(line)
    return product


def _next_ip(session: Session) -> str:
    """An address from the documentation range for the built-in provisioner's servers."""
    servers = session.exec(
        select(func.count()).select_from(Product).where(Product.kind == "server")
    ).one()
    return f"203.0.113.{10 + servers % 240}"


def release_holds(session: Session, order_id: int) -> None:
    """An order form that will not be paid gives its domain names back."""
    lines = session.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
    for line in lines:
        if line.action in ("register", "transfer"):
            registrar().drop_hold(session, line.item_code, order_id)


def _unique_hostname(session: Session, hostname: str) -> str:
    """The quoted hostname, or with -2, -3… when the customer already has a server of that
    model under it (each server answers at its own name)."""
    first, dot, rest = hostname.partition(".")
    taken = set(
        session.exec(
            select(Product.name).where(
                Product.kind == "server", col(Product.name).like(f"{first}%{dot}{rest}")
            )
        ).all()
    )
    candidate, n = hostname, 1
    while candidate in taken:
        n += 1
        candidate = f"{first}-{n}{dot}{rest}"
    return candidate
