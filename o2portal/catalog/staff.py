"""Staff work on the catalogue: hosting tiers, domain extensions, server models, SSL
certificates and promo codes. Admins only; every change is one transaction and one audit
event with the old and new values. Nothing here deletes a row: orders and products refer
to them, so an offer leaves the catalogue by being made inactive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from o2portal.catalog.models import (
    CertificateOffer,
    HostingOffer,
    PromoCode,
    ServerModel,
    TldPrice,
)
from o2portal.core import audit, clock
from o2portal.core.db import existing, read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.money import parse_euros
from o2portal.core.paging import Page, paginate
from o2portal.core.permissions import Actor
from o2portal.core.validation import collect

ADMIN = ("admin",)
PAGE_SIZE = 25
LIST_LIMIT = 50
# A catalogue price above this is a typing slip (an extra zero or two), not a price.
MAX_PRICE_CENTS = 10_000_00
MAX_PROMO_USES = 1_000_000
# "fr", "xn--p1ai": lowercase letters, digits and inner hyphens, one label (the registrar
# and the renewals find a name's extension as its last label: "co.uk" could not be sold).
_TLD = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?")
_PROMO_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{2,39}")

HOSTING_PRICES = ("first_year", "renew_1y", "renew_2y", "renew_3y")
TLD_PRICES = ("register", "renew", "transfer", "restore")


# ---------------------------------------------------------------- input


def price(form: dict, field: str) -> int:
    """A price typed in euros HT → cents, refused when absurdly large."""
    cents = parse_euros(str(form.get(field) or "")[:30], field)
    if cents > MAX_PRICE_CENTS:
        raise InvalidInput({field: "catalog.price_too_high"})
    return cents


def flag(form: dict, field: str) -> bool:
    """A checkbox as a form sends it ("on"), or a bool from code."""
    value = form.get(field)
    return value is True or str(value).lower() in ("on", "true", "1")


def clean_tld(raw: str | None) -> str:
    text = (raw or "").strip().lower().lstrip(".")
    if not text:
        raise InvalidInput({"tld": "error.required"})
    if len(text) > 24 or not _TLD.fullmatch(text):
        raise InvalidInput({"tld": "catalog.tld_invalid"})
    return text


def clean_promo_code(raw: str | None) -> str:
    text = (raw or "").strip().upper()
    if not text:
        raise InvalidInput({"code": "error.required"})
    if not _PROMO_CODE.fullmatch(text):
        raise InvalidInput({"code": "catalog.code_invalid"})
    return text


def _day(form: dict, field: str) -> date | None:
    text = str(form.get(field) or "").strip()[:20]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput({field: "catalog.date_invalid"}) from None


def _max_uses(form: dict) -> int | None:
    text = str(form.get("max_uses") or "").strip()[:20]
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_PROMO_USES:
        raise InvalidInput({"max_uses": "catalog.max_uses_invalid"})
    return int(text)


def _promo_value(kind: str | None, form: dict) -> int:
    """Percent in basis points (12,5 → 1250), fixed amount in cents."""
    if kind == "percent":
        try:
            # Two decimals of a percent are basis points, as two decimals of a euro are cents.
            points = parse_euros(str(form.get("value") or "")[:30], "value")
        except InvalidInput:
            raise InvalidInput({"value": "catalog.percent_invalid"}) from None
        if points > 100_00:
            raise InvalidInput({"value": "catalog.percent_invalid"})
        return points
    if kind == "fixed":
        return price(form, "value")
    return 0  # the kind's own error is reported


def _kind(form: dict) -> str:
    kind = str(form.get("kind") or "")
    if kind not in ("percent", "fixed"):
        raise InvalidInput({"kind": "error.choice_invalid"})
    return kind


# ---------------------------------------------------------------- reading


@dataclass
class StaffCatalogue:
    hosting: list[HostingOffer]
    servers: list[ServerModel]
    tlds: Page
    certificates: list[CertificateOffer]


def _in_shop_order(session: Session, model) -> list:
    """Hosting tiers or server models, as the shop lists them (a few rows each)."""
    return list(
        session.exec(select(model).order_by(model.sort_order, model.id).limit(LIST_LIMIT)).all()
    )


def staff_catalogue(actor: Actor, tld_page: int = 1) -> StaffCatalogue:
    """Everything, active or not, as staff edit it."""
    with read_session() as session:
        actor.admin()
        return StaffCatalogue(
            hosting=_in_shop_order(session, HostingOffer),
            servers=_in_shop_order(session, ServerModel),
            tlds=paginate(
                session,
                select(TldPrice).order_by(TldPrice.tld),
                tld_page,
                count=select(func.count()).select_from(TldPrice),
            ),
            certificates=_in_shop_order(session, CertificateOffer),
        )


def _one(model, actor: Actor, row_id: int):
    with read_session() as session:
        actor.admin()
        return session.get(model, row_id)


def hosting_offer(actor: Actor, offer_id: int) -> HostingOffer | None:
    return _one(HostingOffer, actor, offer_id)


def tld_price(actor: Actor, tld_id: int) -> TldPrice | None:
    return _one(TldPrice, actor, tld_id)


def server_model(actor: Actor, server_id: int) -> ServerModel | None:
    return _one(ServerModel, actor, server_id)


def certificate_offer(actor: Actor, offer_id: int) -> CertificateOffer | None:
    return _one(CertificateOffer, actor, offer_id)


def list_promo_codes(actor: Actor, page: int = 1) -> Page:
    with read_session() as session:
        actor.admin()
        return paginate(
            session,
            select(PromoCode).order_by(col(PromoCode.created_at).desc(), col(PromoCode.id).desc()),
            page,
            count=select(func.count()).select_from(PromoCode),
        )


# ---------------------------------------------------------------- changes


def _apply(row, values: dict) -> tuple[dict, dict]:
    """Set the attributes; return the old and new values of those that changed."""
    old, new = {}, {}
    for name, value in values.items():
        if getattr(row, name) != value:
            old[name], new[name] = getattr(row, name), value
            setattr(row, name, value)
    return old, new


def _prices(form: dict, fields: tuple[str, ...]) -> dict[str, int]:
    """The prices typed for these fields, as the row's `<field>_cents` values; every bad
    one reported at once."""
    cents = collect(*[lambda f=f: price(form, f) for f in fields])
    return {f"{f}_cents": c for f, c in zip(fields, cents, strict=True)}


class _Editable(NamedTuple):
    """How an edit of a catalogue row is audited: its `action`, the attribute that names
    the row in the log (`label`: its code or extension), and the error for an unknown id."""

    action: str
    label: str
    missing: str


_EDITABLE = {
    HostingOffer: _Editable("catalogue.hosting_updated", "code", "no such hosting offer"),
    TldPrice: _Editable("catalogue.tld_updated", "tld", "no such extension"),
    ServerModel: _Editable("catalogue.server_updated", "code", "no such server model"),
    CertificateOffer: _Editable(
        "catalogue.certificate_updated", "code", "no such certificate offer"
    ),
}


def _update(actor: Actor, model, row_id: int, values: dict, *, ip):
    """Set these values on one catalogue row (admins only). What changed goes to the audit
    log, old and new, with the attribute that names the row."""
    action, label, missing = _EDITABLE[model]
    with transaction() as session:
        staff = actor.admin()
        row = existing(session, model, row_id, missing)
        old, new = _apply(row, values)
        if new:
            session.add(row)
            details = {label: getattr(row, label), "old": old, "new": new}
            audit.about(session, action, row, actor=staff, ip=ip, **details)
        return row


def _create(actor: Actor, row, new: dict, *, unique: str, error: str, action: str, ip):
    """Add a new catalogue row (admins only) unless one has the same `unique` attribute
    (its extension or code: the `error` goes to that field), then one audit event naming
    it by that attribute, with its values `new`. A row added by someone else at the same
    moment is refused the same way, by the unique index."""
    model = type(row)
    taken = select(model.id).where(getattr(model, unique) == getattr(row, unique))
    try:
        with transaction() as session:
            staff = actor.admin()
            if session.exec(taken).first() is not None:
                raise InvalidInput({unique: error})
            session.add(row)
            session.flush()
            details = {unique: getattr(row, unique), "old": None, "new": new}
            audit.about(session, action, row, actor=staff, ip=ip, **details)
            return row
    except IntegrityError:
        raise InvalidInput({unique: error}) from None


def update_hosting_offer(
    actor: Actor, offer_id: int, form: dict, *, ip: str | None = None
) -> HostingOffer:
    """First-year and renewal prices (euros HT) and the active flag of one tier."""
    values = {**_prices(form, HOSTING_PRICES), "active": flag(form, "active")}
    return _update(actor, HostingOffer, offer_id, values, ip=ip)


def update_tld_price(actor: Actor, tld_id: int, form: dict, *, ip: str | None = None) -> TldPrice:
    """Registration, renewal, transfer and restoration prices (euros HT a year), active."""
    values = {**_prices(form, TLD_PRICES), "active": flag(form, "active")}
    return _update(actor, TldPrice, tld_id, values, ip=ip)


def add_tld(actor: Actor, form: dict, *, ip: str | None = None) -> TldPrice:
    """A new extension with its four prices; active at once unless unticked."""
    tld, values = collect(lambda: clean_tld(form.get("tld")), lambda: _prices(form, TLD_PRICES))
    row = TldPrice(tld=tld, active=flag(form, "active"), **values)
    return _create(
        actor,
        row,
        {**values, "active": row.active},
        unique="tld",
        error="catalog.tld_exists",
        action="catalogue.tld_added",
        ip=ip,
    )


def update_server_model(
    actor: Actor, server_id: int, form: dict, *, ip: str | None = None
) -> ServerModel:
    """The monthly price (euros HT, billed yearly) and the active flag of one model."""
    values = {"monthly_cents": price(form, "monthly"), "active": flag(form, "active")}
    return _update(actor, ServerModel, server_id, values, ip=ip)


def update_certificate_offer(
    actor: Actor, offer_id: int, form: dict, *, ip: str | None = None
) -> CertificateOffer:
    """The yearly price (euros HT, first order and renewal) and the active flag of one
    SSL certificate offer."""
    values = {"year_cents": price(form, "year"), "active": flag(form, "active")}
    return _update(actor, CertificateOffer, offer_id, values, ip=ip)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.PARIS)


def create_promo_code(actor: Actor, form: dict, *, ip: str | None = None) -> PromoCode:
    """A code (stored in capitals, as customers' input is compared), percent (0–100 %) or a
    fixed amount in euros HT, an optional validity in Paris days (the last day included)
    and an optional number of uses."""
    code, kind, value, valid_from, valid_until, max_uses = collect(
        lambda: clean_promo_code(form.get("code")),
        lambda: _kind(form),
        lambda: _promo_value(form.get("kind"), form),
        lambda: _day(form, "valid_from"),
        lambda: _day(form, "valid_until"),
        lambda: _max_uses(form),
    )
    if valid_from and valid_until and valid_until < valid_from:
        raise InvalidInput({"valid_until": "catalog.until_before_from"})
    promo = PromoCode(
        code=code,
        kind=kind,
        value=value,
        valid_from=_start_of(valid_from) if valid_from else None,
        valid_until=_start_of(valid_until + timedelta(days=1)) - timedelta(microseconds=1)
        if valid_until
        else None,
        max_uses=max_uses,
        active=True,
        created_at=clock.now(),
    )
    return _create(
        actor,
        promo,
        {
            "kind": kind,
            "value": value,
            "valid_from": promo.valid_from,
            "valid_until": promo.valid_until,
            "max_uses": max_uses,
        },
        unique="code",
        error="catalog.code_taken",
        action="catalogue.promo_created",
        ip=ip,
    )


def deactivate_promo_code(actor: Actor, promo_id: int, *, ip: str | None = None) -> PromoCode:
    """The code stops working for new carts; the row stays (orders refer to it)."""
    with transaction() as session:
        staff = actor.admin()
        promo = existing(session, PromoCode, promo_id, "no such promo code")
        if promo.active:
            promo.active = False
            session.add(promo)
            audit.record(
                session,
                "catalogue.promo_deactivated",
                actor=staff,
                target_type="promo_code",
                target_id=promo.id,
                ip=ip,
                code=promo.code,
                old={"active": True},
                new={"active": False},
            )
        return promo
