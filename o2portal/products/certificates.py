"""SSL certificates as products: what may be ordered, what the payment starts, domain
control, issuance through the certificate authority, re-issuance at renewal, and the files.

The life of one certificate (Product kind "ssl" and its SslCertificate row):
1. Ordered (billing/orders.py asks `certificate_request` to check the cart's line): the
   names, a pasted CSR or none, the organisation of an OV. A wildcard is sold only for a
   domain managed in the customer's account: the portal proves its control itself.
2. Paid: `start_certificate` writes the row (pending) and the task OPEN_CERTIFICATE, sent
   after the commit (products/tasks.py): the portal makes the key and CSR when none was
   pasted (the key kept encrypted, products/certificate_keys.py), and the CA gives the DNS
   TXT records to create.
3. Domain control. The domain is managed here (`dns_zone`): tasks publish the records in
   the registrar's zone and ask the CA to issue (ISSUE_CERTIFICATE, retried until the CA
   sees them). Otherwise the customer creates the records where their DNS is and presses
   "Vérifier" (`verify_certificate`), which asks the CA at once.
4. Issued: the certificate and its chain download from a guarded route (owner and staff);
   a key the portal made downloads once, by its owner.
5. Renewed (billing/fulfilment.py → provisioning.extend → `reissue_certificate`): a new
   request at the CA for one more year, the same CSR (the customer keeps their key); the
   current certificate stays downloadable until the new one is signed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.catalog.models import CertificateOffer
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.integrations.ca import (
    MAX_DAYS,
    IssuedCertificate,
    NotValidated,
    Organization,
    Validation,
    certificate_authority,
)
from o2portal.integrations.csr import check_csr, dns_name, make_key_and_csr
from o2portal.integrations.providers import ProviderDown
from o2portal.integrations.resolver import DnsChallenge
from o2portal.products import certificate_keys
from o2portal.products.models import (
    CertificateState,
    Product,
    ProductStatus,
    SslCertificate,
)
from o2portal.products.tasks import TaskAction, enqueue, request_id

MAX_ORGANIZATION = 64  # the X.509 organizationName's upper bound
ZONE_STATUSES = (ProductStatus.ACTIVE, ProductStatus.EXPIRED)
CHECK_INTERVAL = timedelta(seconds=5)  # between two "Vérifier" of one certificate


# ---------------------------------------------------------------- ordering


def names_of(offer: CertificateOffer, base: str) -> list[str]:
    """What the certificate names: the name, or a wildcard and its base domain."""
    return [f"*.{base}", base] if offer.wildcard else [base]


def managed_zone(session: Session, customer_id: int, name: str) -> str | None:
    """The customer's own domain (live, here) whose zone holds `name`: the name itself or
    a parent of it; None when the domain is not managed in their account."""
    name = name.removeprefix("*.")
    labels = name.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    zones = session.exec(
        select(Product.name).where(
            Product.customer_id == customer_id,
            Product.kind == "domain",
            col(Product.name).in_(candidates),
            col(Product.status).in_(ZONE_STATUSES),
        )
    ).all()
    return max(zones, key=len) if zones else None


def _organization(offer: CertificateOffer, raw: str) -> str:
    if offer.validation != Validation.OV:
        return ""
    text = " ".join((raw or "").split())
    if not text:
        raise InvalidInput({"organization": "ssl.organization_required"})
    if len(text) > MAX_ORGANIZATION or not text.isprintable():
        raise InvalidInput({"organization": "ssl.organization_invalid"})
    return text


def _base_name(offer: CertificateOffer, raw: str) -> str:
    text = (raw or "").strip()[:300]
    if not text:
        raise InvalidInput({"ssl_domain": "error.required"})
    name = dns_name(text)
    if name is None:
        raise InvalidInput({"ssl_domain": "ssl.domain_invalid"})
    if name.startswith("*."):
        if not offer.wildcard:
            raise InvalidInput({"ssl_domain": "ssl.domain_wildcard_single"})
        name = name[2:]
    if "*" in name:
        raise InvalidInput({"ssl_domain": "ssl.domain_invalid"})
    return name


@dataclass(frozen=True)
class CertificateRequest:
    offer: CertificateOffer
    display: str  # what the order line and the product say: "*.exemple.fr"
    details: dict  # the order line's details: names, csr, organization


def certificate_request(
    session: Session,
    customer: Customer,
    offer_code: str,
    domain: str,
    csr: str,
    organization: str,
) -> CertificateRequest:
    """The cart's line for a certificate, checked; InvalidInput by field otherwise:
    ssl_domain, csr, organization (or cart for an offer no longer sold)."""
    offer = session.exec(
        select(CertificateOffer).where(
            CertificateOffer.code == offer_code, col(CertificateOffer.active)
        )
    ).first()
    if offer is None:
        raise InvalidInput({"cart": "error.cart_item_invalid"})
    errors: dict[str, str] = {}
    base = org = None
    try:
        base = _base_name(offer, domain)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        org = _organization(offer, organization)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if base is not None and offer.wildcard and managed_zone(session, customer.id, base) is None:
        # Control of every name under the domain: the portal proves it in its own zone.
        errors["ssl_domain"] = "ssl.wildcard_not_managed"
    pem = ""
    if base is not None and (csr or "").strip():
        try:
            pem = check_csr(csr, names_of(offer, base)).pem
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    names = names_of(offer, base)
    details = {"names": names, "csr": pem}
    if org:
        details["organization"] = org
    return CertificateRequest(offer, names[0], details)


# ---------------------------------------------------------------- after the payment


def start_certificate(session: Session, product: Product, details: dict, key: str) -> None:
    """The paid certificate's row, pending, and the request opened after the commit."""
    customer = session.get(Customer, product.customer_id)
    names = list(details["names"])
    offer = session.exec(
        select(CertificateOffer).where(CertificateOffer.code == product.offer_code)
    ).one()
    organization = None
    if details.get("organization"):
        organization = {
            "name": details["organization"],
            "country": (customer.country or "FR").upper(),
            "city": customer.city or None,
        }
    csr = details.get("csr") or None
    row = SslCertificate(
        product_id=product.id,
        names_json=json.dumps(names),
        validation=offer.validation,
        organization_json=json.dumps(organization) if organization else None,
        state=CertificateState.PENDING,
        dns_zone=managed_zone(session, customer.id, names[0]),
        issuance=1,
        request_id=request_id(f"ssl-{product.id}-1"),
        csr_pem=csr,
        portal_key=csr is None,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    enqueue(session, product, TaskAction.OPEN_CERTIFICATE, key)


def reissue_certificate(session: Session, product: Product, key: str) -> None:
    """A renewal paid: a new request at the CA (new records to publish), the same CSR."""
    row = _row(session, product.id, lock=True)
    if row is None:
        return
    row.issuance += 1
    row.request_id = request_id(f"ssl-{product.id}-{row.issuance}")
    row.state = CertificateState.PENDING
    row.challenges_json = "[]"
    session.add(row)
    enqueue(session, product, TaskAction.OPEN_CERTIFICATE, key)


def _row(session: Session, product_id: int, *, lock: bool = False) -> SslCertificate | None:
    query = select(SslCertificate).where(SslCertificate.product_id == product_id)
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def challenges_of(row: SslCertificate) -> list[DnsChallenge]:
    return [DnsChallenge(**c) for c in json.loads(row.challenges_json or "[]")]


# ---------------------------------------------------------------- tasks (products/tasks.py)


def open_request(product_id: int) -> dict:
    """OPEN_CERTIFICATE, outside any transaction: the key and CSR when the portal makes
    them, and the CA's records for the current request."""
    with read_session() as session:
        row = _row(session, product_id)
        names, csr, rid = json.loads(row.names_json), row.csr_pem, row.request_id
    answer: dict = {"request_id": rid}
    if csr is None:
        made = make_key_and_csr(names)
        answer["csr"], answer["sealed_key"] = made.csr_pem, certificate_keys.seal(made.key_pem)
    challenges = certificate_authority().challenges(names, request_id=rid)
    answer["challenges"] = [c.__dict__ for c in challenges]
    return answer


def opened(session: Session, product: Product, answer: dict) -> None:
    """The request is open: its records kept to be shown; in a zone managed here, the
    portal publishes them and asks for the certificate (tasks, in this order)."""
    row = _row(session, product.id, lock=True)
    if row is None or row.request_id != answer["request_id"]:
        return  # a newer issuance began meanwhile: its own task answers for it
    if row.csr_pem is None and answer.get("csr"):
        row.csr_pem, row.key_ciphertext = answer["csr"], answer["sealed_key"]
    row.challenges_json = json.dumps(answer["challenges"])
    session.add(row)
    if row.dns_zone is None:
        return
    for n, challenge in enumerate(answer["challenges"]):
        enqueue(
            session,
            product,
            TaskAction.PUBLISH_DNS_RECORD,
            f"{row.request_id}:publish:{n}",
            zone=row.dns_zone,
            **challenge,
        )
    enqueue(session, product, TaskAction.ISSUE_CERTIFICATE, f"{row.request_id}:issue")


def _days(expiry: date) -> int:
    """The certificate covers the product's paid time, within what a CA signs for."""
    return max(1, min(MAX_DAYS, (expiry - clock.today()).days))


def issue(product_id: int) -> dict:
    """ISSUE_CERTIFICATE and "Vérifier", outside any transaction: the CA checks the records
    and signs the current request (NotValidated while it does not see them)."""
    with read_session() as session:
        product = session.get(Product, product_id)
        row = _row(session, product_id)
        rid, names, csr = row.request_id, json.loads(row.names_json), row.csr_pem
        validation, org_json, expiry = row.validation, row.organization_json, product.expiry_date
    if csr is None:
        raise NotValidated(names[0])  # the request is not open yet
    organization = Organization(**json.loads(org_json)) if org_json else None
    issued = certificate_authority().issue(
        csr,
        names,
        validation=Validation(validation),
        organization=organization,
        days=_days(expiry),
        request_id=rid,
    )
    return {"request_id": rid, **_issued_dict(issued)}


def _issued_dict(issued: IssuedCertificate) -> dict:
    return {
        "certificate_pem": issued.certificate_pem,
        "chain_pem": issued.chain_pem,
        "serial": issued.serial,
        "not_before": issued.not_before.isoformat(),
        "not_after": issued.not_after.isoformat(),
    }


def issued(session: Session, product: Product, answer: dict) -> bool:
    """The CA signed: the certificate kept, the records of a zone here taken down. False
    when this answer belongs to an older issuance, or was recorded already."""
    row = _row(session, product.id, lock=True)
    if row is None or row.request_id != answer["request_id"]:
        return False
    if row.state == CertificateState.ISSUED and row.serial == answer["serial"]:
        return False
    row.state = CertificateState.ISSUED
    row.certificate_pem, row.chain_pem = answer["certificate_pem"], answer["chain_pem"]
    row.serial = answer["serial"]
    row.not_before = datetime.fromisoformat(answer["not_before"])
    row.not_after = datetime.fromisoformat(answer["not_after"])
    row.issued_at = clock.now()
    session.add(row)
    audit.about(session, "ssl.issued", product, serial=row.serial, issuance=row.issuance)
    if row.dns_zone is not None:
        for n, challenge in enumerate(challenges_of(row)):
            enqueue(
                session,
                product,
                TaskAction.UNPUBLISH_DNS_RECORD,
                f"{row.request_id}:unpublish:{n}",
                zone=row.dns_zone,
                **challenge.__dict__,
            )
    return True


# ---------------------------------------------------------------- the customer's door


@dataclass(frozen=True)
class CertificateView:
    """What the product page shows of a certificate (never the key itself)."""

    state: str
    names: list[str]
    validation: str
    organization: str
    automatic: bool  # the portal publishes the records itself
    challenges: list[DnsChallenge]
    serial: str
    not_before: object
    not_after: object
    has_certificate: bool
    key_waiting: bool  # made by the portal, not yet downloaded
    key_downloaded_at: object


def _owned_certificate(session: Session, customer_id: int, product_id: int, *, lock=False):
    product = session.get(Product, product_id)
    if product is None or product.customer_id != customer_id or product.kind != "ssl":
        raise NotAllowed("certificate of another customer")
    row = _row(session, product.id, lock=lock)
    if row is None:
        raise NotAllowed("no certificate")
    return product, row


def certificate_view(customer_id: int, product_id: int) -> CertificateView:
    with read_session() as session:
        _product, row = _owned_certificate(session, customer_id, product_id)
    org = json.loads(row.organization_json) if row.organization_json else {}
    return CertificateView(
        state=row.state,
        names=json.loads(row.names_json),
        validation=row.validation,
        organization=org.get("name", ""),
        automatic=row.dns_zone is not None,
        challenges=challenges_of(row),
        serial=row.serial or "",
        not_before=row.not_before,
        not_after=row.not_after,
        has_certificate=row.certificate_pem is not None,
        key_waiting=row.key_ciphertext is not None,
        key_downloaded_at=row.key_downloaded_at,
    )


def verify_certificate(customer_id: int, product_id: int, *, ip: str | None = None) -> bool:
    """The customer's "Vérifier": the CA looks for the records now and signs if it sees
    them. True when the certificate is issued; InvalidInput {"dcv": …} saying why not."""
    with transaction() as session:
        product, row = _owned_certificate(session, customer_id, product_id, lock=True)
        if row.state == CertificateState.ISSUED:
            return True
        if product.status not in (ProductStatus.ACTIVE, ProductStatus.EXPIRED):
            raise InvalidInput({"dcv": "error.not_renewable"})
        if not row.challenges_json or row.challenges_json == "[]":
            raise InvalidInput({"dcv": "ssl.not_ready"})
        now = clock.now()
        if row.checked_at is not None and now - row.checked_at < CHECK_INTERVAL:
            # Every check is a lookup at the CA and in DNS: one at a time, a few apart.
            raise InvalidInput({"dcv": "ssl.check_wait"})
        row.checked_at = now
        session.add(row)
    try:
        answer = issue(product_id)  # outside any transaction: the CA and DNS answer
    except NotValidated as exc:
        raise InvalidInput({"dcv": f"ssl.not_seen|{exc.domain}"}) from None
    except ProviderDown:
        raise InvalidInput({"dcv": "ssl.ca_down"}) from None
    with transaction() as session:
        product = session.exec(
            select(Product).where(Product.id == product_id).with_for_update()
        ).one()
        issued(session, product, answer)
        audit.about(
            session,
            "ssl.verified",
            product,
            actor=session.get(Customer, customer_id),
            ip=ip,
        )
    return True


# ---------------------------------------------------------------- files


class FileNotFound(Exception):
    """No such file for this reader (missing, someone else's, or gone: the same answer)."""


FILES = ("certificate", "chain", "fullchain")


def _file_name(product: Product, what: str) -> str:
    base = product.name.replace("*", "wildcard")
    return f"{base}.{what}.pem" if what != "certificate" else f"{base}.pem"


def certificate_file(reader: Customer, product_id: int, what: str) -> tuple[str, str]:
    """The certificate, its chain, or both (fullchain: what nginx takes) in PEM, for its
    owner and staff."""
    if what not in FILES:
        raise FileNotFound(what)
    with read_session() as session:
        product = session.get(Product, product_id)
        if product is None or product.kind != "ssl":
            raise FileNotFound(product_id)
        if not (reader.acts_as_staff or reader.id == product.customer_id):
            raise FileNotFound(product_id)
        row = _row(session, product.id)
    if row is None or row.certificate_pem is None:
        raise FileNotFound(product_id)
    text = {
        "certificate": row.certificate_pem,
        "chain": row.chain_pem or "",
        "fullchain": row.certificate_pem + (row.chain_pem or ""),
    }[what]
    return _file_name(product, what), text


def take_private_key(reader: Customer, product_id: int, *, ip: str | None = None):
    """The key the portal made, to its owner, once: its ciphertext is erased in the same
    transaction, so a second download (another tab, a replay) finds nothing."""
    with transaction() as session:
        product = session.get(Product, product_id)
        if product is None or product.kind != "ssl" or product.customer_id != reader.id:
            raise FileNotFound(product_id)
        row = _row(session, product.id, lock=True)
        if row is None or row.key_ciphertext is None:
            raise FileNotFound(product_id)
        key_pem = certificate_keys.unseal(row.key_ciphertext)
        row.key_ciphertext = None
        row.key_downloaded_at = clock.now()
        session.add(row)
        audit.about(session, "ssl.key_downloaded", product, actor=reader, ip=ip)
    if key_pem is None:
        raise FileNotFound(product_id)
    return _file_name(product, "key"), key_pem
