"""Settings staff change at run time, kept as JSON in the database: the reminder schedule,
the seller's identity printed on invoices, how an order form is paid offline (bank
details, cheque address) and the ticket auto-close delay.

Readers (``reminder_schedule``, ``seller_identity``, ``read_setting``) take the caller's
session and fall back to the defaults when nothing usable is stored. Changes go through
the ``save_*`` functions, which check the admin role themselves, validate everything
before writing, write in one transaction and leave an audit event with the old and new
values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlmodel import Session

from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.models import Setting
from o2portal.core.permissions import Actor
from o2portal.core.settings import get_settings
from o2portal.core.validation import (
    clean_bic,
    clean_iban,
    clean_siret,
    clean_text,
    clean_vat_number,
    collect,
)

DEFAULT_REMINDER_SCHEDULE = ["D-60", "D-30", "D-15", "D-7", "D-1", "D0", "D+7"]
_STAGE = re.compile(r"D([+-]\d{1,3})?")

# A schedule staff may set: at most this many stages, within these days of the expiry.
MAX_STAGES = 12
EARLIEST_STAGE = -365
LATEST_STAGE = 60

DEFAULT_AUTOCLOSE_DAYS = 7
AUTOCLOSE_RANGE = (1, 365)

# How many mails of mass mailings the outbox sends a minute (transactional mail is not
# counted and never waits behind them).
DEFAULT_MASS_MAIL_PER_MINUTE = 60
MASS_MAIL_RANGE = (1, 10000)

SELLER_FIELDS = ("name", "address", "siret", "vat_number", "legal_form", "rcs")
PAYMENT_FIELDS = ("holder", "iban", "bic", "bank", "cheque_payee", "cheque_address")
MAX_ADDRESS_LINES = 6


def read_setting(session: Session, key: str, default):
    row = session.get(Setting, key)
    if row is None:
        return default
    try:
        return json.loads(row.value_json)
    except ValueError:
        return default


def _change_setting(actor: Actor, key: str, clean, current, *, ip: str | None):
    """An admin changes a setting: the new value is clean() (checked after the admin),
    the old one current(session); one audit event with both. Returns the new value."""
    with transaction() as session:
        staff = actor.admin()
        value = clean()
        before = current(session)
        row = session.get(Setting, key) or Setting(key=key)
        row.value_json = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        row.updated_at = clock.now()
        session.add(row)
        audit.record(
            session,
            "staff.settings_changed",
            actor=staff,
            target_type="setting",
            ip=ip,
            setting=key,
            old=before,
            new=value,
        )
    return value


# ---------------------------------------------------------------- reminder schedule


def stage_offset(stage: str) -> int:
    """'D-60' → -60, 'D0' → 0, 'D+7' → 7: days from the expiry date."""
    match = _STAGE.fullmatch(stage.strip())
    if not match or stage.strip() in ("D-0", "D+0"):
        if stage.strip() != "D0":
            raise InvalidInput({"reminder_schedule": "error.stage_invalid"})
        return 0
    return int(match.group(1) or 0)


def stage_name(offset: int) -> str:
    """The one spelling of a stage: -60 → 'D-60', 0 → 'D0', 7 → 'D+7'."""
    return f"D{offset:+d}" if offset else "D0"


def reminder_schedule(session: Session) -> list[tuple[str, int]]:
    """The stages in time order, as (name, offset in days)."""
    stages = read_setting(session, "reminder_schedule", DEFAULT_REMINDER_SCHEDULE)
    parsed = []
    for stage in stages if isinstance(stages, list) else DEFAULT_REMINDER_SCHEDULE:
        try:
            parsed.append((str(stage), stage_offset(str(stage))))
        except InvalidInput:
            continue
    return sorted(set(parsed), key=lambda item: item[1]) or [
        (s, stage_offset(s)) for s in DEFAULT_REMINDER_SCHEDULE
    ]


def parse_schedule(text: str | None) -> list[str]:
    """'D-30, d-60 ,D+7' → ['D-60', 'D-30', 'D+7']: every stage checked, spelled one way
    and put in time order. Refuses an empty list, a stage written otherwise, one outside
    D-365..D+60, two stages on the same day and more than MAX_STAGES."""
    field = "reminder_schedule"
    text = (text or "")[:500]
    pieces = [p.strip().upper() for p in re.split(r"[,;\s]+", text) if p.strip()]
    if not pieces:
        raise InvalidInput({field: "settings.schedule_empty"})
    if len(pieces) > MAX_STAGES:
        raise InvalidInput({field: "settings.schedule_too_many"})
    offsets: list[int] = []
    for piece in pieces:
        offset = stage_offset(piece)
        if not EARLIEST_STAGE <= offset <= LATEST_STAGE:
            raise InvalidInput({field: "settings.stage_out_of_range"})
        if offset in offsets:
            raise InvalidInput({field: "settings.stage_duplicate"})
        offsets.append(offset)
    return [stage_name(offset) for offset in sorted(offsets)]


def save_reminder_schedule(actor: Actor, text: str | None, *, ip: str | None = None) -> list[str]:
    return _change_setting(
        actor,
        "reminder_schedule",
        lambda: parse_schedule(text),
        lambda session: [name for name, _ in reminder_schedule(session)],
        ip=ip,
    )


# ---------------------------------------------------------------- seller identity


def default_seller_identity() -> dict[str, str]:
    """The identity from the environment (O2PORTAL_SELLER_*), used until staff save one."""
    settings = get_settings()
    return {
        "name": settings.seller_name,
        "address": settings.seller_address,
        "siret": settings.seller_siret,
        "vat_number": settings.seller_vat_number,
        "legal_form": settings.seller_legal_form,
        "rcs": settings.seller_rcs,
    }


def saved_seller_identity(session: Session) -> dict[str, str] | None:
    stored = read_setting(session, "seller_identity", None)
    if not isinstance(stored, dict) or not all(
        isinstance(stored.get(k), str) and stored.get(k) for k in ("name", "address", "siret")
    ):
        return None
    return {k: str(stored.get(k) or "") for k in SELLER_FIELDS}


def seller_identity(session: Session) -> dict[str, str]:
    """What a new invoice prints: the saved identity, or the environment's."""
    return saved_seller_identity(session) or default_seller_identity()


def _clean_address(value: str | None) -> str | None:
    lines = [line.strip() for line in (value or "").replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise InvalidInput({"address": "error.required"})
    if len(lines) > MAX_ADDRESS_LINES:
        raise InvalidInput({"address": "settings.address_lines"})
    return "\n".join(clean_text("address", line, required=True, max_length=120) for line in lines)


def clean_seller_identity(form: dict) -> dict[str, str]:
    """Every field checked at once; the SIRET and VAT number with python-stdnum, and a
    French VAT number must carry the SIRET's SIREN (its last nine digits)."""

    def get(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    def vat():
        number = clean_vat_number(get("vat_number"))
        if number is None:
            raise InvalidInput({"vat_number": "error.required"})
        return number

    name, address, siret, vat_number, legal_form, rcs = collect(
        lambda: clean_text("name", get("name"), required=True, max_length=200),
        lambda: _clean_address(get("address")),
        lambda: clean_siret(get("siret"), required=True),
        vat,
        lambda: clean_text("legal_form", get("legal_form"), required=False, max_length=200),
        lambda: clean_text("rcs", get("rcs"), required=False, max_length=200),
    )
    if vat_number.startswith("FR") and vat_number[-9:] != siret[:9]:
        raise InvalidInput({"vat_number": "settings.vat_siren_mismatch"})
    return {
        "name": name,
        "address": address,
        "siret": siret,
        "vat_number": vat_number,
        "legal_form": legal_form or "",
        "rcs": rcs or "",
    }


def save_seller_identity(actor: Actor, form: dict, *, ip: str | None = None) -> dict[str, str]:
    """New invoices print this identity; issued ones keep the snapshot frozen in them."""
    return _change_setting(
        actor, "seller_identity", lambda: clean_seller_identity(form), seller_identity, ip=ip
    )


# ---------------------------------------------------------------- ticket auto-close


def _read_whole(session: Session, key: str, default: int, bounds: tuple[int, int]) -> int:
    """A stored whole number within `bounds`, else the default."""
    value = read_setting(session, key, default)
    low, high = bounds
    valid = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    return value if valid else default


def _parse_whole(value, field: str, bounds: tuple[int, int], out_of_range: str) -> int:
    """A typed whole number within `bounds`, or InvalidInput by `field`."""
    text = str(value if value is not None else "").strip()
    low, high = bounds
    if not text:
        raise InvalidInput({field: "error.required"})
    if not re.fullmatch(r"\d{1,6}", text) or not low <= int(text) <= high:
        raise InvalidInput({field: out_of_range})
    return int(text)


def ticket_autoclose_days(session: Session) -> int:
    return _read_whole(session, "ticket_autoclose_days", DEFAULT_AUTOCLOSE_DAYS, AUTOCLOSE_RANGE)


def parse_autoclose_days(value) -> int:
    return _parse_whole(value, "ticket_autoclose_days", AUTOCLOSE_RANGE, "settings.autoclose_range")


def save_ticket_autoclose_days(actor: Actor, value, *, ip: str | None = None) -> int:
    return _change_setting(
        actor,
        "ticket_autoclose_days",
        lambda: parse_autoclose_days(value),
        ticket_autoclose_days,
        ip=ip,
    )


# ---------------------------------------------------------------- mass mail pace


def mass_mail_per_minute(session: Session) -> int:
    return _read_whole(
        session, "mass_mail_per_minute", DEFAULT_MASS_MAIL_PER_MINUTE, MASS_MAIL_RANGE
    )


def parse_mass_mail_per_minute(value) -> int:
    return _parse_whole(value, "mass_mail_per_minute", MASS_MAIL_RANGE, "settings.mass_mail_range")


def save_mass_mail_per_minute(actor: Actor, value, *, ip: str | None = None) -> int:
    return _change_setting(
        actor,
        "mass_mail_per_minute",
        lambda: parse_mass_mail_per_minute(value),
        mass_mail_per_minute,
        ip=ip,
    )


# ---------------------------------------------------------------- the staff page


@dataclass
class StaffSettings:
    reminder_schedule: list[str]
    seller: dict[str, str]
    seller_saved: bool
    ticket_autoclose_days: int
    payment: dict[str, str]
    mass_mail_per_minute: int


def settings_for_staff(actor: Actor) -> StaffSettings:
    with read_session() as session:
        actor.admin()
        saved = saved_seller_identity(session)
        return StaffSettings(
            reminder_schedule=[name for name, _ in reminder_schedule(session)],
            seller=saved or default_seller_identity(),
            seller_saved=saved is not None,
            ticket_autoclose_days=ticket_autoclose_days(session),
            payment=payment_details(session),
            mass_mail_per_minute=mass_mail_per_minute(session),
        )


# ---------------------------------------------------------------- offline payment details


def default_payment_details() -> dict[str, str]:
    """The bank details and cheque address from the environment (O2PORTAL_BANK_*,
    O2PORTAL_CHEQUE_*), used until staff save their own."""
    settings = get_settings()
    return {
        "holder": settings.bank_holder,
        "iban": settings.bank_iban,
        "bic": settings.bank_bic,
        "bank": settings.bank_name,
        "cheque_payee": settings.cheque_payee,
        "cheque_address": settings.cheque_address,
    }


def saved_payment_details(session: Session) -> dict[str, str] | None:
    stored = read_setting(session, "payment_details", None)
    if not isinstance(stored, dict) or not all(
        isinstance(stored.get(k), str) and stored.get(k) for k in PAYMENT_FIELDS
    ):
        return None
    return {k: str(stored.get(k) or "") for k in PAYMENT_FIELDS}


def payment_details(session: Session) -> dict[str, str]:
    """How an order form is paid offline today: the saved details, or the environment's."""
    return saved_payment_details(session) or default_payment_details()


def clean_payment_details(form: dict) -> dict[str, str]:
    """Every field checked at once: the IBAN's check digits and the BIC with
    python-stdnum; the cheque address as the seller's address is (lines, at most six)."""

    def get(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    def address():
        try:
            return _clean_address(get("cheque_address"))
        except InvalidInput as exc:
            raise InvalidInput({"cheque_address": exc.errors["address"]}) from None

    holder, iban, bic, bank, payee, cheque_address = collect(
        lambda: clean_text("holder", get("holder"), required=True, max_length=200),
        lambda: clean_iban(get("iban")),
        lambda: clean_bic(get("bic")),
        lambda: clean_text("bank", get("bank"), required=True, max_length=200),
        lambda: clean_text("cheque_payee", get("cheque_payee"), required=True, max_length=200),
        address,
    )
    return {
        "holder": holder,
        "iban": iban,
        "bic": bic,
        "bank": bank,
        "cheque_payee": payee,
        "cheque_address": cheque_address,
    }


def save_payment_details(actor: Actor, form: dict, *, ip: str | None = None) -> dict[str, str]:
    """What the next confirmations, order-form PDFs and mails print."""
    return _change_setting(
        actor,
        "payment_details",
        lambda: clean_payment_details(form),
        payment_details,
        ip=ip,
    )
