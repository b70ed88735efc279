"""Creating what was ordered, once it is paid: hosting accounts on the control panel,
domain registrations and transfers, managed servers, SSL certificates (issued by the
certificate authority through products/certificates.py).

The product is written in the payment's transaction; what the registrar and the panel
must do is written beside it as a task (products.tasks), sent after the commit and
retried until it is done. Managed servers are set up by the technicians from the staff
area: the portal gives them their hostname and address here.
"""

from __future__ import annotations

import json

from sqlalchemy import func
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import OrderLine
from o2portal.catalog.models import HostingOffer, ServerModel
from o2portal.core import clock
from o2portal.products import certificates, domain_holds
from o2portal.products.expiry import add_years
from o2portal.products.models import Product, ProductStatus
from o2portal.products.tasks import TaskAction, enqueue

DEFAULT_NAMESERVERS = ["ns1.o2portal.example", "ns2.o2portal.example"]
NEW_PRODUCT_ACTIONS = ("hosting", "register", "transfer", "server", "ssl")


def create_products(session: Session, order, line: OrderLine) -> Product:
    """The product a paid order line stands for, with its expiry date."""
    customer = session.get(Customer, order.customer_id)
    details = json.loads(line.details_json or "{}")
    today = clock.today()
    expiry = add_years(today, max(1, line.years))
    if line.action == "hosting":
        offer = session.exec(select(HostingOffer).where(HostingOffer.code == line.item_code)).one()
        main_domain = details["domain"]
        product = Product(
            customer_id=customer.id,
            kind="hosting",
            name=main_domain,
            offer_code=offer.code,
            start_date=today,
            expiry_date=expiry,
            quota_disk_mb=offer.disk_gb * 1024,
            quota_email_accounts=1000,
            quota_databases=1000,
        )
    elif line.action in ("register", "transfer"):
        name = line.item_code
        product = Product(
            customer_id=customer.id,
            kind="domain",
            name=name,
            offer_code=details["tld"],
            start_date=today,
            expiry_date=expiry,
            registrar_lock=True,
            nameservers_json=json.dumps(DEFAULT_NAMESERVERS),
        )
    elif line.action == "ssl":
        product = Product(
            customer_id=customer.id,
            kind="ssl",
            name=details["names"][0],
            offer_code=line.item_code,
            start_date=today,
            expiry_date=expiry,
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
    _ask_providers(product, line, details, f"customer:{customer.id}", session)
    return product


def _ask_providers(product: Product, line: OrderLine, details: dict, owner: str, session):
    """The registrar's, the panel's and the certificate authority's part, after the
    payment's commit."""
    key = f"line-{line.id}"
    if line.action == "ssl":
        certificates.start_certificate(session, product, details, key)
    if line.action == "hosting":
        enqueue(
            session,
            product,
            TaskAction.CREATE_HOSTING,
            key,
            plan=product.offer_code,
            disk_mb=product.quota_disk_mb,
            owner_ref=owner,
        )
    elif line.action == "register":
        enqueue(
            session,
            product,
            TaskAction.REGISTER_DOMAIN,
            key,
            holder_ref=owner,
            years=max(1, line.years),
            nameservers=DEFAULT_NAMESERVERS,
        )
    elif line.action == "transfer":
        enqueue(
            session,
            product,
            TaskAction.TRANSFER_DOMAIN,
            key,
            holder_ref=owner,
            auth_code=details.get("auth_code", ""),
        )


def _next_ip(session: Session) -> str:
    """An address from the documentation range for the built-in provisioner's servers."""
    servers = session.exec(
        select(func.count()).select_from(Product).where(Product.kind == "server")
    ).one()
    return f"203.0.113.{10 + servers % 240}"


def extend(session: Session, product: Product, new_expiry, years: int, key: str) -> None:
    """A product renewed (paid, or by staff): its new date, back in service if it was
    suspended or expired, and the registrar or the panel told after the commit. `key`
    names this renewal: the registrar renews once for it, however often it is sent."""
    product.expiry_date = new_expiry
    if product.kind == "hosting" and product.status == ProductStatus.SUSPENDED:
        enqueue(session, product, TaskAction.UNSUSPEND_HOSTING)
    if product.status in (ProductStatus.EXPIRED, ProductStatus.SUSPENDED):
        product.status = ProductStatus.ACTIVE
        product.suspended_at = None
        product.status_reason = None
    session.add(product)
    if product.kind == "domain":
        enqueue(session, product, TaskAction.RENEW_DOMAIN, key, years=years)
    elif product.kind == "ssl":
        certificates.reissue_certificate(session, product, key)


_PANEL = {
    ProductStatus.SUSPENDED: TaskAction.SUSPEND_HOSTING,
    ProductStatus.ACTIVE: TaskAction.UNSUSPEND_HOSTING,
    ProductStatus.TERMINATED: TaskAction.TERMINATE_HOSTING,
}


def status_changed(session: Session, product: Product, new_status: str, reason: str) -> None:
    """A hosting account suspended, back in service or terminated, a domain released, a
    certificate terminated (by the expiry job or by staff): the panel, the registrar or
    the certificate authority is told after the commit."""
    if product.kind == "hosting" and new_status in _PANEL:
        enqueue(session, product, _PANEL[new_status], reason=reason)
    elif product.kind == "domain" and new_status == ProductStatus.RELEASED:
        enqueue(session, product, TaskAction.RELEASE_DOMAIN)
    elif product.kind == "ssl" and new_status == ProductStatus.TERMINATED:
        certificates.revoke_at_termination(session, product)


def release_holds(session: Session, order_id: int) -> None:
    """An order form that will not be paid gives its domain names back."""
    domain_holds.release_holds(session, order_id)


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
