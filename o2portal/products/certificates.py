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
   sees them). Otherwise the customer creates the records where their DNS is: the job
   `certificate_checks` (`check_pending`) asks the CA every 15 minutes the first day, then
   every hour, for CHECK_DAYS; after that it stops and mails the customer once what to
   do. "Vérifier" (`verify_certificate`, and staff's `verify_as_staff`) asks at once.
4. Issued: the certificate and its chain download from a guarded route (owner and staff);
   a key the portal made downloads once, by its owner.
5. Renewed (billing/fulfilment.py → provisioning.extend → `reissue_certificate`): a new
   request at the CA for one more year, the same CSR (the customer keeps their key); the
   current certificate stays downloadable until the new one is signed. A certificate
   renews at most products/expiry.CERTIFICATE_RENEW_DAYS before its expiry (a CA signs
   for at most ca.MAX_DAYS).
6. Terminated (by staff, or 30 days after its expiry: provisioning.status_changed →
   `revoke_at_termination`): the task REVOKE_CERTIFICATE, after the commit, revokes it at
   the CA (with the previous issuance's certificate while that one is still valid); the
   customer's page and routes no longer offer it; a key never downloaded is erased.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cryptography import x509
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.catalog.models import CertificateOffer
from o2portal.core import audit, clock
from o2portal.core.batches import ItemFailures
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
from o2portal.mail import outbox as mailer
from o2portal.mail.templating import Part, link
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
ENDED = (ProductStatus.TERMINATED, ProductStatus.RELEASED)
CHECK_INTERVAL = timedelta(seconds=5)  # between two "Vérifier" of one certificate
# The job's pace for records the customer creates elsewhere: often while they are likely
# being created, then hourly, then it stops and tells the customer.
CHECK_FAST, CHECK_FAST_FOR = timedelta(minutes=15), timedelta(days=1)
CHECK_SLOW = timedelta(hours=1)
CHECK_DAYS = 30
CHECK_FOR = timedelta(days=CHECK_DAYS)
# While one runner checks a row, the others leave it (it is taken back after this long if
# that runner died). A run claims a few rows at a time, so that even a batch of lookups
# that each time out (DNS: 5 s) ends well within the claim.
CHECK_CLAIM = timedelta(minutes=10)
CHECK_BATCH = 25
# RFC 5280's reason for a certificate whose service ended.
REVOKE_REASON = "cessationOfOperation"


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
    row.checks_since = row.next_check_at = row.checks_stopped_at = None
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
    if product.status in ENDED:
        return  # terminated meanwhile: nothing to publish or to sign
    if row.dns_zone is None:
        # The customer creates the records elsewhere: the job looks for them from now on.
        now = clock.now()
        row.checks_since, row.checks_stopped_at = now, None
        row.next_check_at = now + CHECK_FAST
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
        ended = product.status in ENDED
    if ended:
        return {"request_id": rid, "ended": True}  # terminated meanwhile: nothing to sign
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
    if answer.get("ended"):
        _unpublish(session, product, row)  # the records a zone here may still hold
        return False
    if row.state == CertificateState.ISSUED and row.serial == answer["serial"]:
        return False
    row.state = CertificateState.ISSUED
    if row.serial and row.serial != answer["serial"]:
        row.previous_serial, row.previous_not_after = row.serial, row.not_after
    row.certificate_pem, row.chain_pem = answer["certificate_pem"], answer["chain_pem"]
    row.serial = answer["serial"]
    row.not_before = datetime.fromisoformat(answer["not_before"])
    row.not_after = datetime.fromisoformat(answer["not_after"])
    row.issued_at = clock.now()
    row.next_check_at = None
    session.add(row)
    audit.about(session, "ssl.issued", product, serial=row.serial, issuance=row.issuance)
    if product.status in ENDED:
        # Signed while the product was being terminated: revoked as well.
        _revoke(session, product, row.serial)
    _unpublish(session, product, row)
    return True


def _unpublish(session: Session, product: Product, row: SslCertificate) -> None:
    """The records of the current request taken down from a zone here (once each)."""
    if row.dns_zone is None:
        return
    for n, challenge in enumerate(challenges_of(row)):
        enqueue(
            session,
            product,
            TaskAction.UNPUBLISH_DNS_RECORD,
            f"{row.request_id}:unpublish:{n}",
            zone=row.dns_zone,
            **challenge.__dict__,
        )


# ---------------------------------------------------------------- the job (products/scheduled.py)


def _next_check(row: SslCertificate, now: datetime) -> datetime:
    early = row.checks_since is None or now - row.checks_since < CHECK_FAST_FOR
    return now + (CHECK_FAST if early else CHECK_SLOW)


def _claim_due(now: datetime) -> list[tuple[int, str]]:
    """Take up to a batch of the rows due by `now` (the run's start: a row due later waits
    for the next run) for this runner: (product id, request id). Rows
    another runner holds are skipped (SKIP LOCKED; SQLite's write transactions run one
    at a time), and each taken row is due again only once the claim lapses, so no two
    runners check one request at once. A certificate no longer live stops being checked."""
    with transaction() as session:
        due = session.exec(
            select(SslCertificate, Product)
            .join(Product, col(Product.id) == col(SslCertificate.product_id))
            .where(col(SslCertificate.next_check_at) <= now)
            .order_by(col(SslCertificate.next_check_at))
            .limit(CHECK_BATCH)
            .with_for_update(skip_locked=True, of=SslCertificate)
        ).all()
        taken = []
        for row, product in due:
            if row.state != CertificateState.PENDING or product.status in ENDED:
                row.next_check_at = None
            elif product.status not in ZONE_STATUSES:
                row.next_check_at = now + CHECK_SLOW  # suspended by staff: not now
            else:
                row.next_check_at = clock.now() + CHECK_CLAIM
                taken.append((row.product_id, row.request_id))
            session.add(row)
        return taken


def check_pending(_last_run: date | None = None) -> dict:
    """The job: every certificate whose records are due to be looked for, each asked of
    the CA once per run (issued, still waiting, or given up after CHECK_DAYS). A CA that
    does not answer makes the run partial; the row is asked again at its next time."""
    counts = {"issued": 0, "waiting": 0, "stopped": 0}
    failures = ItemFailures()
    now = clock.now()
    while True:
        taken = _claim_due(now)
        if not taken:
            break
        for product_id, rid in taken:
            with failures.item(f"domain control check of certificate {product_id}"):
                counts[_check_one(product_id, rid)] += 1
    return {**counts, **failures.summary()}


def _check_one(product_id: int, rid: str) -> str:
    """Ask the CA about one request, then record what it said: issued, still waiting (the
    next check set), or given up. A CA that failed (down, or any error) leaves the row to
    its next time at the same pace, never given up on, and the error goes to the run."""
    down: Exception | None = None
    answer = None
    try:
        answer = issue(product_id)  # outside any transaction: the CA and DNS answer
    except NotValidated:
        pass
    except Exception as exc:  # noqa: BLE001 - told to the run once the row is rescheduled
        down = exc
    with transaction() as session:
        product = session.exec(
            select(Product).where(Product.id == product_id).with_for_update()
        ).one()
        if answer is not None and issued(session, product, answer):
            mailer.queue_for_account(
                session,
                product.customer_id,
                "certificate_issued",
                product_name=product.name,
                product_link=link(f"/services/{product.id}"),
            )
            return "issued"
        row = _row(session, product_id, lock=True)
        if row.request_id != rid or row.state != CertificateState.PENDING:
            return "waiting"  # renewed or issued meanwhile: that request has its own life
        now = clock.now()
        row.checked_at = now
        over = row.checks_since is not None and now - row.checks_since >= CHECK_FOR
        if down is None and over:
            row.next_check_at, row.checks_stopped_at = None, now
            session.add(row)
            _tell_checks_stopped(session, product, row)
            return "stopped"
        row.next_check_at = _next_check(row, now)
        session.add(row)
    if down is not None:
        raise down
    return "waiting"


def _tell_checks_stopped(session: Session, product: Product, row: SslCertificate) -> None:
    """Once per request (the caller holds its row and clears next_check_at): what to do."""
    mailer.queue_for_account(
        session,
        product.customer_id,
        "certificate_checks_stopped",
        product_name=product.name,
        days=CHECK_DAYS,
        records=[
            Part("certificate_record", record_name=c.record_name, value=c.value)
            for c in challenges_of(row)
        ],
        product_link=link(f"/services/{product.id}"),
    )
    audit.about(session, "ssl.checks_stopped", product, days=CHECK_DAYS, issuance=row.issuance)


# ---------------------------------------------------------------- revocation


def revoke_at_termination(session: Session, product: Product) -> None:
    """The product ends (staff, or 30 days after its expiry; the caller holds its row):
    its certificate, and the previous issuance's while it is still valid, are revoked at
    the CA by tasks after the commit; no more checks; a key never downloaded is erased."""
    row = _row(session, product.id, lock=True)
    if row is None:
        return
    row.next_check_at = None
    row.key_ciphertext = None
    session.add(row)
    previous_valid = row.previous_not_after is not None and row.previous_not_after > clock.now()
    if row.previous_serial and previous_valid:
        _revoke(session, product, row.previous_serial)
    if row.serial:
        _revoke(session, product, row.serial)


def _revoke(session: Session, product: Product, serial: str) -> None:
    enqueue(
        session,
        product,
        TaskAction.REVOKE_CERTIFICATE,
        f"revoke:{product.id}:{serial}",
        serial=serial,
        reason=REVOKE_REASON,
    )


def revoke(serial: str, reason: str) -> dict:
    """REVOKE_CERTIFICATE, outside any transaction."""
    certificate_authority().revoke(serial, reason=reason)
    return {"serial": serial}


def revoked(session: Session, product: Product, answer: dict) -> None:
    """The CA revoked it: the current certificate is marked so (staff see «Révoqué»)."""
    row = _row(session, product.id, lock=True)
    if row is None:
        return
    if row.serial == answer["serial"] and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.add(row)
    audit.about(session, "ssl.revoked", product, serial=answer["serial"], reason=REVOKE_REASON)


# ---------------------------------------------------------------- the customer's door


@dataclass(frozen=True)
class CertificateView:
    """What a product page shows of a certificate (never the key itself)."""

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
    ended: bool  # the product is terminated: nothing is offered any more
    revoked_at: object  # the CA confirmed the revocation
    checks_stopped_at: object  # the job gave up looking for the records
    next_check_at: object
    kind: str  # dv, wildcard, ov
    issuer: str  # the certificate's issuer, as X.509 writes it ("CN=…,O=…,C=FR")
    portal_key: bool  # the portal made the key (else the customer's CSR)


def _issuer(certificate_pem: str | None) -> str:
    if not certificate_pem:
        return ""
    try:
        leaf = x509.load_pem_x509_certificate(certificate_pem.encode("ascii"))
    except ValueError:
        return ""
    return leaf.issuer.rfc4514_string()


def _owned_certificate(session: Session, customer_id: int, product_id: int, *, lock=False):
    product = session.get(Product, product_id)
    if product is None or product.customer_id != customer_id or product.kind != "ssl":
        raise NotAllowed("certificate of another customer")
    row = _row(session, product.id, lock=lock)
    if row is None:
        raise NotAllowed("no certificate")
    return product, row


def _view(product: Product, row: SslCertificate) -> CertificateView:
    org = json.loads(row.organization_json) if row.organization_json else {}
    names = json.loads(row.names_json)
    wildcard = any(n.startswith("*.") for n in names)
    return CertificateView(
        state=row.state,
        names=names,
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
        ended=product.status in ENDED,
        revoked_at=row.revoked_at,
        checks_stopped_at=row.checks_stopped_at,
        next_check_at=row.next_check_at,
        kind="ov" if row.validation == Validation.OV else "wildcard" if wildcard else "dv",
        issuer=_issuer(row.certificate_pem),
        portal_key=row.portal_key,
    )


def certificate_view(customer_id: int, product_id: int) -> CertificateView:
    with read_session() as session:
        product, row = _owned_certificate(session, customer_id, product_id)
    return _view(product, row)


def certificate_for_staff(product_id: int) -> CertificateView | None:
    """The certificate part of a product's staff page (products/staff.py checks who asks);
    None for a product that is no certificate."""
    with read_session() as session:
        product = session.get(Product, product_id)
        row = _row(session, product_id) if product is not None else None
    return None if row is None or product.kind != "ssl" else _view(product, row)


def verify_certificate(customer_id: int, product_id: int, *, ip: str | None = None) -> bool:
    """The customer's "Vérifier": the CA looks for the records now and signs if it sees
    them. True when the certificate is issued; InvalidInput {"dcv": …} saying why not."""
    with read_session() as session:
        who = session.get(Customer, customer_id)
    return _verify_now(product_id, who, ip, owner_id=customer_id, issued_action="ssl.verified")


def verify_as_staff(staff, product_id: int, *, ip: str | None = None) -> bool:
    """Staff's "Vérifier maintenant" (`staff`: the Actor the staff door checked): the same
    check; each one that asks the CA is audited under their name, seen or not."""
    return _verify_now(product_id, staff, ip, asked_action="staff.ssl_verified")


def _verify_now(
    product_id: int,
    who,
    ip: str | None,
    *,
    owner_id: int | None = None,
    asked_action: str | None = None,
    issued_action: str | None = None,
) -> bool:
    """Ask the CA now. `asked_action` is audited when the CA is asked, `issued_action`
    when it signed."""
    with transaction() as session:
        product = session.get(Product, product_id)
        if product is None or product.kind != "ssl":
            raise NotAllowed("no certificate")
        if owner_id is not None and product.customer_id != owner_id:
            raise NotAllowed("certificate of another customer")
        row = _row(session, product_id, lock=True)
        if row is None:
            raise NotAllowed("no certificate")
        if row.state == CertificateState.ISSUED:
            return True
        if product.status not in ZONE_STATUSES:
            raise InvalidInput({"dcv": "error.not_renewable"})
        if not row.challenges_json or row.challenges_json == "[]":
            raise InvalidInput({"dcv": "ssl.not_ready"})
        now = clock.now()
        if row.checked_at is not None and now - row.checked_at < CHECK_INTERVAL:
            # Every check is a lookup at the CA and in DNS: one at a time, a few apart.
            raise InvalidInput({"dcv": "ssl.check_wait"})
        row.checked_at = now
        session.add(row)
        if asked_action:
            audit.about(session, asked_action, product, actor=who, ip=ip)
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
        if issued_action:
            audit.about(session, issued_action, product, actor=who, ip=ip)
        if _row(session, product_id).state != CertificateState.ISSUED:
            raise InvalidInput({"dcv": "error.not_renewable"})  # terminated meanwhile
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
        if product.status in ENDED and not reader.acts_as_staff:
            raise FileNotFound(product_id)  # revoked: nothing to install any more
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
