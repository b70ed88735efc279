"""Mass mail (admins): one text to a segment of customers, previewed with the exact count,
queued as one outbox mail per recipient and sent at the set pace (outbox throttle).

A segment is any combination of: customers with a live product on one server, of one
offer, a domain of one extension, a live product expiring before a date; customers whose
address is not confirmed. The product criteria apply to one and the same product.
Disabled, deleted and staff accounts never receive one, nor an address marked failing
(it bounced: mailing it again only hurts the sender's reputation; the preview says how
many were left out for that); a customer matching through several products gets one
mail.

The form's key makes a campaign once: the same key returns the first campaign (a double
click, a replay). The count the admin saw travels with the form: if the segment changed
since the preview, nothing is sent and the page says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, exists, select

from o2portal.accounts.models import Customer
from o2portal.catalog.models import CertificateOffer, HostingOffer, ServerModel, TldPrice
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.paging import paginate
from o2portal.core.permissions import Actor
from o2portal.core.receipts import clean_key
from o2portal.mail import outbox, templating
from o2portal.mail.editor import TextRefused, refuse
from o2portal.mail.models import MailCampaign, MailStatus, OutboxEmail
from o2portal.products.models import LIVE_STATUSES, Product

KIND = "campaign"  # the outbox kind of every mass mail
VARIABLES = frozenset({"first_name", "last_name"})
PAGE_SIZE = 20
_EXTENSION = re.compile(r"[a-z0-9][a-z0-9.-]{0,23}")


@dataclass(frozen=True)
class Segment:
    server: str = ""
    offer: str = ""
    extension: str = ""  # without the dot: "fr"
    expiring_before: date | None = None
    unverified: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["expiring_before"] = self.expiring_before.isoformat() if self.expiring_before else ""
        return data


@dataclass
class SegmentChoices:
    servers: list[str]
    offers: list[tuple[str, str]]  # (code, name)
    extensions: list[str]


@dataclass
class Preview:
    count: int
    subject: str
    body: str
    sample_to: str  # the recipient of the sample ("" when nobody matches)
    failing: int = 0  # customers of the segment left out: their address fails


@dataclass
class Sent:
    campaign_id: int
    recipients: int
    created: bool  # False: this form's key had made it already


@dataclass
class CampaignRow:
    id: int
    created_at: datetime
    author: str
    subject: str
    segment: dict
    recipients: int
    sent: int
    pending: int
    failed: int


@dataclass
class CampaignPage:
    rows: list[CampaignRow]
    total: int
    page: int
    pages: int


def segment_choices(actor: Actor) -> SegmentChoices:
    """The servers with a live product, every offer of the catalogue, every extension."""
    with read_session() as session:
        actor.admin()
        servers = session.exec(
            select(Product.hosting_server)
            .where(
                col(Product.hosting_server).is_not(None),
                col(Product.status).in_(LIVE_STATUSES),
            )
            .distinct()
            .order_by(Product.hosting_server)
        ).all()
        offers: list[tuple[str, str]] = []
        for table in (HostingOffer, ServerModel, CertificateOffer):
            offers += [tuple(row) for row in session.exec(select(table.code, table.name))]
        extensions = session.exec(select(TldPrice.tld).order_by(TldPrice.tld)).all()
    return SegmentChoices(list(servers), sorted(offers, key=lambda o: o[1]), list(extensions))


def clean_segment(session: Session, form: dict) -> Segment:
    """The segment of the form (server, offer, extension, expiring_before, unverified),
    each value one of the choices; at least one criterion."""

    def text(name: str, limit: int = 100) -> str:
        value = form.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""

    errors: dict[str, str] = {}
    server, offer = text("server"), text("offer")
    extension = text("extension", 30).lower().lstrip(".")
    if (
        server
        and not session.exec(
            select(Product.id).where(Product.hosting_server == server).limit(1)
        ).first()
    ):
        errors["server"] = "campaign.unknown_server"
    if offer and not any(
        session.exec(select(t.id).where(t.code == offer)).first()
        for t in (HostingOffer, ServerModel, CertificateOffer)
    ):
        errors["offer"] = "campaign.unknown_offer"
    if extension and (
        not _EXTENSION.fullmatch(extension)
        or not session.exec(select(TldPrice.id).where(TldPrice.tld == extension)).first()
    ):
        errors["extension"] = "campaign.unknown_extension"
    before = None
    if text("expiring_before", 20):
        try:
            before = date.fromisoformat(text("expiring_before", 20))
        except ValueError:
            errors["expiring_before"] = "campaign.bad_date"
    unverified = form.get("unverified") in (True, "on", "true", "1")
    segment = Segment(server, offer, extension, before, unverified)
    if not errors and segment == Segment():
        errors["segment"] = "campaign.no_criterion"
    if errors:
        raise InvalidInput(errors)
    return segment


def recipients_query(segment: Segment, *, failing: bool = False):
    """(id, email, first_name, last_name, language) of every customer of the segment,
    once each, in id order: those whose address works, or with `failing` those left out
    because it fails."""
    where = [
        Customer.role == "customer",
        col(Customer.disabled_at).is_(None),
        col(Customer.deleted_at).is_(None),
        col(Customer.email_failing_at).is_not(None)
        if failing
        else col(Customer.email_failing_at).is_(None),
    ]
    if segment.unverified:
        where.append(col(Customer.email_verified_at).is_(None))
    product = []
    if segment.server:
        product.append(Product.hosting_server == segment.server)
    if segment.offer:
        product.append(Product.offer_code == segment.offer)
    if segment.extension:
        # The extension is letters, digits, dots and hyphens: no LIKE wildcard in it.
        product += [Product.kind == "domain", col(Product.name).like(f"%.{segment.extension}")]
    if segment.expiring_before:
        product.append(col(Product.expiry_date) < segment.expiring_before)
    if product:
        where.append(
            exists().where(
                Product.customer_id == Customer.id,
                col(Product.status).in_(LIVE_STATUSES),
                *product,
            )
        )
    return (
        select(
            Customer.id,
            Customer.email,
            Customer.first_name,
            Customer.last_name,
            Customer.language,
        )
        .where(*where)
        .order_by(Customer.id)
    )


def _clean_text(subject, body) -> tuple[str, str]:
    subject = (subject if isinstance(subject, str) else "").strip()
    body = (body if isinstance(body, str) else "").replace("\r\n", "\n")
    refuse(templating.problems(VARIABLES, subject, body))
    return subject, body


def _clean_all(session: Session, form: dict) -> tuple[Segment, str, str]:
    """The segment and the text, every field's error at once."""
    errors, values = {}, {}
    segment = None
    try:
        segment = clean_segment(session, form)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        subject, body = _clean_text(form.get("subject"), form.get("body"))
    except InvalidInput as exc:
        errors.update(exc.errors)
        values = getattr(exc, "values", {})
    if errors:
        raise TextRefused(errors, values)
    return segment, subject, body


def _render(subject: str, body: str, recipient) -> tuple[str, str]:
    _id, _email, first_name, last_name, language = recipient
    return templating.render_typed(
        subject, body, language, first_name=first_name, last_name=last_name
    )


def _count(session: Session, query) -> int:
    return session.exec(select(func.count()).select_from(query.subquery())).one()


def preview(actor: Actor, form: dict) -> Preview:
    """How many customers the form's segment holds (and how many it leaves out because
    their address fails), and the mail the first one gets."""
    with read_session() as session:
        actor.admin()
        segment, subject, body = _clean_all(session, form)
        query = recipients_query(segment)
        count = _count(session, query)
        failing = _count(session, recipients_query(segment, failing=True))
        first = session.exec(query.limit(1)).first()
    sample = first or (0, "", "Marie", "Martin", "fr")
    rendered_subject, rendered_body = _render(subject, body, sample)
    return Preview(count, rendered_subject, rendered_body, first[1] if first else "", failing)


def send(actor: Actor, form: dict, *, key, seen_count, ip: str | None = None) -> Sent:
    """Queue the form's mail to every customer of its segment, once per form key.

    `seen_count`: the count the preview showed; a segment that holds another number now
    is refused (campaign.count_changed), nothing queued."""
    key = clean_key(key)
    actor.admin()
    done = _by_key(key)
    if done is not None:
        return done
    try:
        with transaction() as session:
            staff = actor.admin()
            segment, subject, body = _clean_all(session, form)
            recipients = session.exec(recipients_query(segment)).all()
            if not recipients:
                raise InvalidInput({"segment": "campaign.nobody"})
            if str(len(recipients)) != str(seen_count).strip():
                raise InvalidInput({"segment": "campaign.count_changed"})
            campaign = MailCampaign(
                key=key,
                subject=subject,
                body=body,
                segment_json=json.dumps(segment.as_dict(), ensure_ascii=False),
                recipients=len(recipients),
                created_by=staff.id,
                created_at=clock.now(),
            )
            session.add(campaign)
            session.flush()  # a second form with this key waits here, then fails
            for recipient in recipients:
                mail_subject, mail_body = _render(subject, body, recipient)
                outbox.queue_email(
                    session,
                    to=recipient[1],
                    subject=mail_subject,
                    body=mail_body,
                    kind=KIND,
                    customer_id=recipient[0],
                    campaign_id=campaign.id,
                )
            audit.about(
                session,
                "staff.mass_mail_sent",
                campaign,
                actor=staff,
                ip=ip,
                segment=segment.as_dict(),
                recipients=len(recipients),
                left_out_failing=_count(session, recipients_query(segment, failing=True)),
                subject=subject,
            )
            return Sent(campaign.id, len(recipients), True)
    except IntegrityError:
        done = _by_key(key)
        if done is None:
            raise
        return done


def _by_key(key: str) -> Sent | None:
    with read_session() as session:
        campaign = session.exec(select(MailCampaign).where(MailCampaign.key == key)).first()
        return Sent(campaign.id, campaign.recipients, False) if campaign else None


def list_campaigns(actor: Actor, page: int = 1) -> CampaignPage:
    """Newest first, with how many of each campaign's mails are sent, pending, failed."""
    with read_session() as session:
        actor.admin()
        found = paginate(
            session,
            select(MailCampaign, Customer.first_name, Customer.last_name)
            .join(Customer, Customer.id == MailCampaign.created_by)
            .order_by(col(MailCampaign.id).desc()),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(MailCampaign),
        )
        ids = [campaign.id for campaign, _, _ in found.rows]
        counts: dict[tuple[int, str], int] = {}
        if ids:
            for campaign_id, status, n in session.exec(
                select(OutboxEmail.campaign_id, OutboxEmail.status, func.count())
                .where(col(OutboxEmail.campaign_id).in_(ids))
                .group_by(OutboxEmail.campaign_id, OutboxEmail.status)
            ):
                counts[(campaign_id, status)] = n
    rows = [
        CampaignRow(
            id=c.id,
            created_at=c.created_at,
            author=f"{first} {last}",
            subject=c.subject,
            segment=json.loads(c.segment_json),
            recipients=c.recipients,
            sent=counts.get((c.id, MailStatus.SENT), 0),
            pending=counts.get((c.id, MailStatus.PENDING), 0),
            failed=counts.get((c.id, MailStatus.FAILED), 0),
        )
        for c, first, last in found.rows
    ]
    return CampaignPage(rows, found.total, found.page, found.pages)
