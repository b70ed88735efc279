"""Staff accounts: made from the command line (the first admin), then by admins on
/admin/staff, who also set their roles and disable them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer, RecoveryCode
from o2portal.accounts.password_reset import new_reset_link
from o2portal.accounts.passwords import hash_password, new_token
from o2portal.accounts.sessions import revoke_sessions
from o2portal.accounts.staff import SET_PASSWORD_HOURS
from o2portal.core import audit, clock
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput, NotAllowed
from o2portal.core.permissions import Actor
from o2portal.core.validation import clean_email, clean_new_password, clean_text, gathered
from o2portal.mail import outbox as mailer


def create_staff_account(
    email: str, password: str, *, role: str = "admin", first_name: str, last_name: str
) -> Customer:
    if role not in ("admin", "support"):
        raise InvalidInput({"role": "error.choice_invalid"})
    email = clean_email(email)
    password = clean_new_password(password, password)
    password_hash = hash_password(password)
    with transaction() as session:
        staff = _new_member(session, email, password_hash, role, first_name, last_name)
        staff.email_verified_at = clock.now()
        audit.record(session, "staff.created", customer_id=staff.id, role=role)
    return staff


def _new_member(
    session: Session, email: str, password_hash: str, role: str, first: str, last: str
) -> Customer:
    """A staff account's row (no address: staff are not billed), the address free."""
    if session.exec(select(Customer.id).where(Customer.email == email)).first():
        raise InvalidInput({"email": "error.email_taken"})
    member = Customer(
        email=email,
        password_hash=password_hash,
        role=role,
        first_name=first,
        last_name=last,
        phone="",
        address_line1="",
        postal_code="",
        city="",
        terms_accepted_at=clock.now(),
        created_at=clock.now(),
    )
    session.add(member)
    session.flush()
    return member


# ---------------------------------------------------------------- admins' page


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    email: str
    role: str
    second_factor: bool
    disabled: bool


STAFF_ROLES = ("admin", "support")


def staff_members(actor: Actor) -> list[StaffMember]:
    """Every staff account, disabled ones too, admins first."""
    with read_session() as session:
        actor.admin()
        people = session.exec(
            select(Customer)
            .where(col(Customer.role).in_(STAFF_ROLES))
            .order_by(col(Customer.role), col(Customer.first_name), col(Customer.id))
        ).all()
        return [
            StaffMember(
                p.id,
                f"{p.first_name} {p.last_name}",
                p.email,
                p.role,
                p.totp_enabled_at is not None,
                p.disabled_at is not None,
            )
            for p in people
        ]


def open_staff_account(actor: Actor, form: dict[str, str], *, ip=None) -> int:
    """An admin opens a staff account: names, email (free), role. The new member is
    mailed a link to choose their password (three days); the second factor is then
    theirs to set up in Ma fiche. Returns the new id. Slow (bcrypt): off the loop."""
    errors: dict[str, str] = {}
    first = gathered(
        errors,
        lambda: clean_text("first_name", form.get("first_name"), required=True, max_length=100),
    )
    last = gathered(
        errors,
        lambda: clean_text("last_name", form.get("last_name"), required=True, max_length=100),
    )
    email = gathered(errors, lambda: clean_email(form.get("email")))
    role = form.get("role")
    if role not in STAFF_ROLES:
        errors["role"] = "error.choose_one"
    if errors:
        raise InvalidInput(errors)
    unusable = hash_password(new_token())
    with transaction() as session:
        admin = actor.admin()
        member = _new_member(session, email, unusable, role, first, last)
        mailer.queue_for_customer(
            session,
            member,
            "staff_account_opened",
            email=member.email,
            set_password_link=new_reset_link(
                session, member, ip=ip, minutes=SET_PASSWORD_HOURS * 60
            ),
            hours=SET_PASSWORD_HOURS,
        )
        audit.about(session, "staff.member_created", member, actor=admin, ip=ip, role=role)
        return member.id


def _active_admins(session: Session) -> int:
    """How many active admins there are, their rows locked (in id order) until commit: two
    admins taking each other's role at the same moment cannot leave none."""
    return len(
        session.exec(
            select(Customer.id)
            .where(Customer.role == "admin", col(Customer.disabled_at).is_(None))
            .order_by(col(Customer.id))
            .with_for_update()
        ).all()
    )


def _member(session: Session, admin: Actor, member_id: int) -> Customer:
    member = (
        session.exec(select(Customer).where(Customer.id == member_id).with_for_update()).first()
        if member_id
        else None
    )
    if member is None or not member.is_staff:
        raise NotAllowed("no such staff member")
    if member.id == admin.id:
        raise InvalidInput({"staff": "error.staff_self"})
    return member


def set_staff_role(actor: Actor, member_id: int, role: str, *, ip=None) -> None:
    """An admin makes a staff member admin or support; never themselves, and never so
    that no active admin is left."""
    if role not in STAFF_ROLES:
        raise InvalidInput({"role": "error.choose_one"})
    with transaction() as session:
        admin = actor.admin()
        admins = _active_admins(session)
        member = _member(session, admin, member_id)
        if member.role == role:
            return
        if member.role == "admin" and member.disabled_at is None and admins <= 1:
            raise InvalidInput({"staff": "error.last_admin"})
        before, member.role = member.role, role
        session.add(member)
        audit.about(
            session, "staff.member_role", member, actor=admin, ip=ip, before=before, after=role
        )


def set_staff_disabled(actor: Actor, member_id: int, disabled: bool, *, ip=None) -> None:
    """An admin disables a staff account (its sessions end at once) or enables it again;
    never their own, never the last active admin."""
    with transaction() as session:
        admin = actor.admin()
        admins = _active_admins(session)
        member = _member(session, admin, member_id)
        if (member.disabled_at is not None) == disabled:
            return
        if disabled and member.role == "admin" and admins <= 1:
            raise InvalidInput({"staff": "error.last_admin"})
        member.disabled_at = clock.now() if disabled else None
        session.add(member)
        if disabled:
            revoke_sessions(session, member.id)
        audit.about(
            session,
            "staff.member_disabled" if disabled else "staff.member_enabled",
            member,
            actor=admin,
            ip=ip,
        )


def reset_second_factor(actor: Actor, member_id: int, *, ip=None) -> None:
    """An admin resets the second factor of another staff member who lost their phone and
    their recovery codes: the secret and the codes are gone, every session of theirs ends,
    and they are mailed. Their password alone then opens Ma fiche only, where they turn it
    on again; the staff area stays closed to them until then (web/guards.require_staff)."""
    with transaction() as session:
        admin = actor.admin()
        member = _member(session, admin, member_id)
        if member.totp_enabled_at is None and member.totp_secret is None:
            raise InvalidInput({"staff": "error.staff_second_factor_off"})
        member.totp_secret = None
        member.totp_enabled_at = None
        session.add(member)
        session.exec(delete(RecoveryCode).where(col(RecoveryCode.customer_id) == member.id))
        revoke_sessions(session, member.id)
        mailer.queue_for_customer(session, member, "staff_second_factor_reset")
        audit.about(session, "staff.member_second_factor_reset", member, actor=admin, ip=ip)
