"""Reading the audit log: who did what, when and from where, as one sentence per event
("Claire Martin (admin) a suspendu l'hébergement dupont-photo.fr : impayé") with the
object acted on named and linked, filtered by date, staff member, customer and kind of
action, 50 a page.

Each action code has its sentence in the message catalogues (`audit.say.<action>`, with
`{who}` and `{target}`); the tests check that every action written while they run has
one in French and in English, so a new action cannot reach this page as a code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, union
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.billing.models import CreditNote, Invoice
from o2portal.core import clock, formatting
from o2portal.core.db import read_session
from o2portal.core.i18n import CATALOGUES, translate
from o2portal.core.models import AuditEvent
from o2portal.core.paging import paginate
from o2portal.core.permissions import Actor
from o2portal.core.search import lower_starts_with, starts_with
from o2portal.products.models import Product

PAGE_SIZE = 50

# The kinds of action the page filters by: the action codes' prefixes.
GROUPS: dict[str, tuple[str, ...]] = {
    "sign_in": ("auth.", "admin.refused"),
    "accounts": ("account.", "profile."),
    "billing": (
        "order.",
        "payment.",
        "pay.",
        "invoice.",
        "credit_note.",
        "staff.credit",
        "client_order.",
    ),
    "products": (
        "product.",
        "domain.",
        "ssl.",
        "staff.product_",
        "staff.ssl_",
        "staff.auth_code",
    ),
    "support": ("ticket.", "canned.", "escalation.", "customer.note"),
    "staff": ("staff.",),
    "catalogue": ("catalogue.", "staff.faq", "staff.announcement", "staff.settings"),
}


@dataclass
class EventLine:
    """One event as the page shows it: the sentence around its object (linked when the
    object has a page), the customer it concerns, and the rest of its details."""

    id: int
    when: str
    action: str
    before: str
    target: str
    href: str
    after: str
    customer: str
    customer_id: int | None
    ip: str
    details: str


@dataclass
class AuditPage:
    rows: list[EventLine]
    total: int
    page: int
    pages: int


def sentence_key(action: str) -> str:
    return f"audit.say.{action}"


def has_sentence(action: str) -> bool:
    """Whether both languages say this action in words."""
    return all(sentence_key(action) in catalogue for catalogue in CATALOGUES.values())


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _filters(
    session: Session, *, group: str, staff_id: str, customer: str, since: str, until: str
) -> list:
    where = []
    prefixes = GROUPS.get(group)
    if prefixes:
        where.append(or_(*(starts_with(col(AuditEvent.action), p) for p in prefixes)))
    if staff_id.strip().isascii() and staff_id.strip().isdigit():
        where.append(AuditEvent.actor_id == int(staff_id.strip()[:12]))
    text = customer.strip()[:100]
    if text.isascii() and text.isdigit():
        where.append(AuditEvent.customer_id == int(text[:12]))
    elif text:
        low = text.lower()
        # A union of ids, each read from its own index (see accounts/staff.py).
        people = union(
            select(Customer.id).where(starts_with(col(Customer.email), low)),
            select(Customer.id).where(lower_starts_with(Customer.last_name, low)),
            select(Customer.id).where(lower_starts_with(Customer.company_name, low)),
        )
        where.append(col(AuditEvent.customer_id).in_(people))
    start, end = _day(since), _day(until)
    if start:
        where.append(col(AuditEvent.created_at) >= datetime.combine(start, time(), clock.PARIS))
    if end:
        after = datetime.combine(end + timedelta(days=1), time(), clock.PARIS)
        where.append(col(AuditEvent.created_at) < after)
    return where


def _names(session: Session, events: list[AuditEvent]) -> dict[tuple[str, int], object]:
    """Every person and object the page's events name, a query per kind."""
    wanted: dict[str, set[int]] = {}
    for e in events:
        if e.actor_id:
            wanted.setdefault("customer", set()).add(e.actor_id)
        if e.customer_id:
            wanted.setdefault("customer", set()).add(e.customer_id)
        if e.target_type and e.target_id:
            wanted.setdefault(e.target_type, set()).add(e.target_id)
    found: dict[tuple[str, int], object] = {}
    for kind, model in (
        ("customer", Customer),
        ("product", Product),
        ("invoice", Invoice),
        ("credit_note", CreditNote),
    ):
        ids = wanted.get(kind)
        if ids:
            for row in session.exec(select(model).where(col(model.id).in_(ids))).all():
                found[(kind, row.id)] = row
    return found


def _who(event: AuditEvent, names: dict, lang: str) -> str:
    person = names.get(("customer", event.actor_id)) if event.actor_id else None
    role = translate(f"audit.role.{event.actor_role}", lang)
    if person is None:
        # Nobody signed in: a visitor at the doors (sign-in, sign-up, refusals), else the
        # portal's own work (a payment settled, an invoice issued, a job).
        visitor = event.action.startswith(("auth.", "account.", "admin.refused"))
        return translate("audit.nobody" if visitor else "audit.system", lang)
    return f"{person.display_name} ({role})"


def _target(event: AuditEvent, names: dict, lang: str) -> tuple[str, str]:
    """The object acted on in words, and the staff page (or file) that shows it."""
    kind, ident = event.target_type or "", event.target_id
    if not kind or not ident:
        return "", ""
    row = names.get((kind, ident))
    if kind == "customer":
        name = row.display_name if row else f"n° {ident}"
        return name, f"/admin/customers/{ident}"
    if kind == "product":
        if row is None:
            return translate("audit.target.product_gone", lang, id=ident), ""
        text = translate(f"audit.target.product_{row.kind}", lang, name=row.name)
        return text, f"/admin/products/{ident}"
    if kind == "ticket":
        return translate("audit.target.ticket", lang, id=ident), f"/admin/tickets/{ident}"
    if kind == "invoice":
        number = row.number if row else f"n° {ident}"
        return translate(
            "audit.target.invoice", lang, number=number
        ), f"/files/invoices/{ident}.pdf"
    if kind == "credit_note":
        number = row.number if row else f"n° {ident}"
        text = translate("audit.target.credit_note", lang, number=number)
        return text, f"/files/credit-notes/{ident}.pdf"
    if kind in ("order", "order_form"):
        text = translate("audit.target.order_form", lang, reference=f"BC-{ident:06d}")
        return text, f"/files/order-forms/{ident}.pdf"
    key = f"audit.target.{kind}"
    if key in CATALOGUES.get(lang, CATALOGUES["fr"]):
        return translate(key, lang, id=ident), ""
    return translate("audit.target.other", lang, id=ident), ""


def _details(details: dict, lang: str) -> str:
    """What the sentence does not say, shortly: amounts in euros, the rest as it is."""
    parts = []
    for key, value in details.items():
        if key == "reason" or value in (None, "", {}, []):
            continue
        if key.endswith("_cents") and isinstance(value, int):
            value = formatting.money(value, lang)
        elif isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key} : {value}" if lang == "fr" else f"{key}: {value}")
    text = " · ".join(parts)
    return text if len(text) <= 300 else text[:299] + "…"


def line(event: AuditEvent, names: dict, lang: str) -> EventLine:
    try:
        details = json.loads(event.details_json or "{}")
    except ValueError:
        details = {}
    if not isinstance(details, dict):
        details = {}
    target, href = _target(event, names, lang)
    key = sentence_key(event.action)
    template = (
        translate(key, lang) if has_sentence(event.action) else translate("audit.say.unknown", lang)
    )
    text = template.replace("{who}", _who(event, names, lang)).replace("{action}", event.action)
    before, _, after = text.partition("{target}")
    if "{target}" not in template:
        before, after, target, href = text, "", "", ""
    reason = details.get("reason")
    if isinstance(reason, str) and reason.strip():
        after += translate("audit.reason", lang, reason=reason.strip()[:300])
    person = names.get(("customer", event.customer_id)) if event.customer_id else None
    return EventLine(
        id=event.id,
        when=formatting.moment(event.created_at, lang),
        action=event.action,
        before=before,
        target=target,
        href=href,
        after=after,
        customer=person.display_name if person else "",
        customer_id=event.customer_id,
        ip=event.ip or "",
        details=_details(details, lang),
    )


def list_events(
    staff: Actor,
    *,
    group: str = "",
    staff_id: str = "",
    customer: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
    lang: str = "fr",
) -> AuditPage:
    """The audit log for admins, newest first, in sentences. `group` is a kind of action
    (GROUPS), `staff_id` the person who acted, `customer` the number of the customer the
    event concerns or the start of their email, last name or company, `since` and `until`
    days (YYYY-MM-DD, Paris time, both included)."""
    staff.admin()
    with read_session() as session:
        where = _filters(
            session, group=group, staff_id=staff_id, customer=customer, since=since, until=until
        )
        found = paginate(
            session,
            select(AuditEvent).where(*where).order_by(col(AuditEvent.id).desc()),
            page,
            size=PAGE_SIZE,
            count=select(func.count()).select_from(AuditEvent).where(*where),
        )
        names = _names(session, found.rows)
    return AuditPage(
        [line(e, names, lang) for e in found.rows], found.total, found.page, found.pages
    )


def staff_choices(staff: Actor) -> list[tuple[int, str]]:
    """Every staff member (disabled ones too: their past actions stay in the log)."""
    staff.admin()
    with read_session() as session:
        people = session.exec(
            select(Customer)
            .where(col(Customer.role).in_(("support", "admin")))
            .order_by(col(Customer.first_name), col(Customer.id))
        ).all()
        return [(p.id, f"{p.display_name} ({p.role})") for p in people]
