"""Escalation: an open ticket (waiting for staff) of a department and priority that a rule
names, left unanswered longer than the rule allows, goes to the admins: each active admin
is mailed once, the queue marks it, and the audit log says which rule sent it. The next
staff reply clears the mark, so the same ticket can escalate again on a later wait.

Admins keep the rules; the jobs run `escalate_tickets` every minute, which reads only
open tickets through the (status, updated_at) index. A ticket's updated_at is the time of
its last message the customer can see: for an open ticket, when the customer last wrote
(or reopened it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from o2portal.accounts.models import Customer
from o2portal.core import audit, clock, formatting
from o2portal.core.batches import JOB_BATCH
from o2portal.core.db import read_session, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.i18n import translate
from o2portal.core.permissions import Actor
from o2portal.mail import outbox as mailer
from o2portal.support.models import DEPARTMENTS, PRIORITIES, EscalationRule, Ticket, TicketStatus
from o2portal.support.thread import mail_values

# From a quarter of an hour to a week.
MIN_MINUTES, MAX_MINUTES = 15, 7 * 24 * 60


@dataclass(frozen=True)
class RuleView:
    id: int
    department: str
    priority: str
    after_minutes: int


def rules(actor: Actor) -> list[RuleView]:
    with read_session() as session:
        actor.staff()
        return [
            RuleView(r.id, r.department, r.priority, r.after_minutes)
            for r in session.exec(
                select(EscalationRule).order_by(
                    col(EscalationRule.priority), col(EscalationRule.department)
                )
            ).all()
        ]


def _minutes(hours: str | None) -> int:
    """Hours as typed ("4", "0,5", "1.5") to whole minutes, within the bounds."""
    text = (hours or "").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput({"hours": "error.number"}) from None
    if not (value == value) or value * 60 < MIN_MINUTES or value * 60 > MAX_MINUTES:
        raise InvalidInput({"hours": "error.escalation_hours"})
    return round(value * 60)


def add_rule(
    actor: Actor,
    *,
    department: str | None,
    priority: str | None,
    hours: str | None,
    ip: str | None = None,
) -> int:
    """A new rule (admins). One rule per department and priority: a second one is refused."""
    errors: dict[str, str] = {}
    department = department or ""
    if department and department not in DEPARTMENTS:
        errors["department"] = "error.choose_one"
    if priority not in PRIORITIES:
        errors["priority"] = "error.choose_one"
    minutes = 0
    try:
        minutes = _minutes(hours)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    with transaction() as session:
        admin = actor.admin()
        same = session.exec(
            select(EscalationRule.id).where(
                EscalationRule.department == department, EscalationRule.priority == priority
            )
        ).first()
        if same is not None:
            raise InvalidInput({"priority": "error.escalation_exists"})
        rule = EscalationRule(department=department, priority=priority, after_minutes=minutes)
        session.add(rule)
        session.flush()
        audit.about(
            session,
            "escalation.rule_added",
            rule,
            actor=admin,
            ip=ip,
            department=department,
            priority=priority,
            minutes=minutes,
        )
        return rule.id


def remove_rule(actor: Actor, rule_id: int, *, ip: str | None = None) -> None:
    with transaction() as session:
        admin = actor.admin()
        rule = session.get(EscalationRule, rule_id) if rule_id else None
        if rule is None:
            return
        audit.about(
            session,
            "escalation.rule_removed",
            rule,
            actor=admin,
            ip=ip,
            department=rule.department,
            priority=rule.priority,
            minutes=rule.after_minutes,
        )
        session.delete(rule)


def _due(rule: EscalationRule, now: datetime):
    where = [
        Ticket.status == TicketStatus.OPEN,
        Ticket.priority == rule.priority,
        col(Ticket.escalated_at).is_(None),
        col(Ticket.updated_at) <= now - timedelta(minutes=rule.after_minutes),
    ]
    if rule.department:
        where.append(Ticket.department == rule.department)
    return where


def escalate_tickets(now: datetime | None = None) -> int:
    """Escalate every ticket a rule says is overdue; returns how many. Each ticket is
    taken with a row lock and marked in the transaction that queues its mails, so two
    runners cannot escalate it twice."""
    now = now or clock.now()
    with read_session() as session:
        all_rules = list(session.exec(select(EscalationRule)).all())
    done = 0
    for rule in all_rules:
        while True:
            with transaction() as session:
                tickets = session.exec(
                    select(Ticket)
                    .where(*_due(rule, now))
                    .order_by(col(Ticket.updated_at))
                    .limit(JOB_BATCH)
                    .with_for_update(skip_locked=True)
                ).all()
                if not tickets:
                    break
                admins = session.exec(
                    select(Customer).where(
                        Customer.role == "admin",
                        col(Customer.disabled_at).is_(None),
                        col(Customer.deleted_at).is_(None),
                    )
                ).all()
                for ticket in tickets:
                    ticket.escalated_at = now
                    session.add(ticket)
                    for admin in admins:
                        lang = admin.language or "fr"
                        mailer.queue_for_customer(
                            session,
                            admin,
                            "ticket_escalated",
                            department=translate(f"tickets.dept.{ticket.department}", lang),
                            priority=translate(f"tickets.priority.{ticket.priority}", lang),
                            waited=formatting.waited(now - ticket.updated_at, lang),
                            **mail_values(ticket, staff=True),
                        )
                    audit.about(
                        session,
                        "ticket.escalated",
                        ticket,
                        rule_id=rule.id,
                        minutes=rule.after_minutes,
                        admins=len(admins),
                    )
                    done += 1
    return done


def clear(ticket: Ticket) -> None:
    """A staff reply answers the wait: the ticket may escalate again on the next one."""
    ticket.escalated_at = None
