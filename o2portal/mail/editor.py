"""Staff (admin) edit the text of a mail kind, per language: a stored override of the
file's subject and body (MailTemplate), which the outbox uses for the next mail of that
kind; a preview with sample values; a reset to the file's text.

Every kind of templating.KINDS can be edited, whoever registered it. A text is checked
before anything is saved: a placeholder the kind does not take, a lone $ or an empty
field is refused by its field (TextRefused), and nothing is written. Every change is
audited with the old and the new text. Mails are plain text: values are put in as they
are (string.Template runs nothing), and pages show the text as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from o2portal.core import audit, clock
from o2portal.core.db import read_session, serialize_on, transaction
from o2portal.core.errors import InvalidInput
from o2portal.core.permissions import Actor
from o2portal.mail import templating
from o2portal.mail.models import MailTemplate
from o2portal.mail.templating import Amount, Part


class TextRefused(InvalidInput):
    """InvalidInput whose messages take values: {field: {"names": "${x}, ${y}"}}."""

    def __init__(self, errors: dict[str, str], values: dict[str, dict[str, str]]):
        super().__init__(errors)
        self.values = values


def refuse(found: list[templating.Problem], prefix: str = "") -> None:
    """Raise TextRefused for these problems (message keys mailtext.<code>), if any."""
    if not found:
        return
    errors = {f"{prefix}{p.field}": f"mailtext.{p.code}" for p in found}
    values = {
        f"{prefix}{p.field}": {"names": ", ".join("${" + n + "}" for n in p.names)} for p in found
    }
    raise TextRefused(errors, values)


@dataclass
class KindRow:
    kind: str
    edited: list[str]  # the languages with staff's text


@dataclass
class KindText:
    kind: str
    language: str
    subject: str
    body: str
    edited: bool
    variables: list[str]  # the placeholders this kind may use, common ones included


def _kind(kind: str) -> str:
    if kind not in templating.KINDS:
        raise InvalidInput({"kind": "mailtext.unknown_kind"})
    return kind


def _language(language: str) -> str:
    if language not in templating.LANGUAGES:
        raise InvalidInput({"language": "mailtext.unknown_language"})
    return language


def list_kinds(actor: Actor) -> list[KindRow]:
    """Every mail kind registered (templating.KINDS) and the languages staff edited."""
    with read_session() as session:
        actor.admin()
        edited: dict[str, list[str]] = {}
        for kind, language in session.exec(select(MailTemplate.kind, MailTemplate.language)):
            edited.setdefault(kind, []).append(language)
    return [KindRow(kind, sorted(edited.get(kind, []))) for kind in templating.kinds()]


def kind_text(actor: Actor, kind: str, language: str) -> KindText:
    """The text the next mail of `kind` in `language` is written from."""
    kind, language = _kind(kind), _language(language)
    with read_session() as session:
        actor.admin()
        row = session.get(MailTemplate, (kind, language))
        subject, body = (row.subject, row.body) if row else templating.default_text(kind, language)
    return KindText(
        kind=kind,
        language=language,
        subject=subject,
        body=body,
        edited=row is not None,
        variables=sorted(templating.variables(kind)),
    )


def _clean(kind: str, subject: str, body: str) -> tuple[str, str]:
    subject = (subject or "").strip()
    body = (body or "").replace("\r\n", "\n")
    refuse(templating.problems(templating.variables(kind), subject, body))
    return subject, body


def preview(actor: Actor, kind: str, language: str, subject: str, body: str) -> tuple[str, str]:
    """(subject, body) of this text rendered with sample values of the kind; refused
    (TextRefused, by field) as saving would refuse it."""
    kind, language = _kind(kind), _language(language)
    actor.admin()
    subject, body = _clean(kind, subject, body)
    return templating.render(kind, language, (subject, body), **sample_values(kind, language))


def save_text(
    actor: Actor, kind: str, language: str, subject: str, body: str, *, ip: str | None = None
) -> bool:
    """Store staff's text for (kind, language); the file's own text stores nothing (the
    kind goes back to the file). True if the kind is now edited in that language."""
    kind, language = _kind(kind), _language(language)
    with transaction() as session:
        staff = actor.admin()
        subject, body = _clean(kind, subject, body)
        row = _locked(session, kind, language)
        old = _text_of(row, kind, language)
        edited = (subject, body) != templating.default_text(kind, language)
        if not edited:
            if row is not None:
                session.delete(row)
        else:
            row = row or MailTemplate(kind=kind, language=language)
            row.subject, row.body = subject, body
            row.updated_by, row.updated_at = staff.id, clock.now()
            session.add(row)
        new = {"subject": subject, "body": body}
        if old != new:
            _audit(session, "staff.mail_template_changed", staff, ip, kind, language, old, new)
        return edited


def reset_text(actor: Actor, kind: str, language: str, *, ip: str | None = None) -> bool:
    """Back to the file's text; False if the kind was not edited in that language."""
    kind, language = _kind(kind), _language(language)
    with transaction() as session:
        staff = actor.admin()
        row = _locked(session, kind, language)
        if row is None:
            return False
        old = _text_of(row, kind, language)
        session.delete(row)
        new = _text_of(None, kind, language)
        _audit(session, "staff.mail_template_reset", staff, ip, kind, language, old, new)
        return True


def _audit(session: Session, action: str, staff: Actor, ip, kind, language, old, new) -> None:
    audit.record(
        session,
        action,
        actor=staff,
        target_type="mail_template",
        ip=ip,
        kind=kind,
        language=language,
        old=old,
        new=new,
    )


def _locked(session: Session, kind: str, language: str) -> MailTemplate | None:
    """The stored text, locked; the first save of a kind and language has no row to lock,
    so two of them at once would both insert (the primary key refusing the second): the
    lock on the name makes them run one after the other, the second updating the first's."""
    serialize_on(session, f"mail-template:{kind}:{language}")
    return session.exec(
        select(MailTemplate)
        .where(MailTemplate.kind == kind, MailTemplate.language == language)
        .with_for_update()
    ).first()


def _text_of(row: MailTemplate | None, kind: str, language: str) -> dict[str, str]:
    subject, body = (row.subject, row.body) if row else templating.default_text(kind, language)
    return {"subject": subject, "body": body}


# ------------------------------------------------------------------ sample values


def _samples(language: str) -> dict:
    today = clock.today()
    en = language == "en"
    link = templating.link
    return {
        "first_name": "Marie",
        "email": "marie.martin@example.com",
        "new_email": "marie@martin-photo.fr",
        "customer_name": "Marie Martin",
        "customer_email": "marie.martin@example.com",
        "verify_link": link("/verify-email?token=exemple"),
        "reset_link": link("/reset-password?token=exemple"),
        "confirm_link": link("/confirm-email?token=exemple"),
        "renew_link": link("/services"),
        "ticket_link": link("/tickets/1042"),
        "admin_link": link("/admin/tickets/1042"),
        "minutes": 30,
        "hours": 24,
        "days": 15,
        "left": 7,
        "failures": 3,
        "number": "F2026-000123",
        "reference": "BC-2026-0042",
        "invoice_number": "F2026-000123",
        "total": Amount(14388),
        "price": Amount(11990),
        "product_name": "martin-photo.fr",
        "expiry": today + timedelta(days=15),
        "since": today,
        "charge_day": today + timedelta(days=7),
        "how_to_pay": Part(
            "order_form_transfer",
            reference="BC-2026-0042",
            holder="o2portal SAS",
            iban="FR76 3000 6000 0112 3456 7890 189",
            bic="AGRIFRPP",
            bank="Crédit Agricole",
        ),
        "products": [
            Part("order_confirmation_line", name="martin-photo.fr", until=today.replace(day=1))
        ],
        "product": Part("reminder_hosting", name="martin-photo.fr"),
        "product_link": link("/services/7"),
        "records": [
            Part(
                "certificate_record",
                record_name="_o2portal-challenge.martin-photo.fr",
                value="q8Lr1nGk2pZ0eXcV7sYtUw4aBhJmNdFo6iKe3RuTy5E",
            )
        ],
        "plan": Part("reminder_plan_manual"),
        "reason": Part("auto_renew_declined"),
        "ticket_id": 1042,
        "ticket_subject": "Mails not received" if en else "Mails non reçus",
        "department": "Technique" if not en else "Technical",
        "priority": "Haute" if not en else "High",
        "message": "Bonjour,\nje ne reçois plus mes mails depuis hier."
        if not en
        else "Hello,\nmy mail stopped arriving yesterday.",
        "attachments": Part("attachments", files="capture.png"),
        "awaiting": Part("ticket_awaiting"),
        "job": "outbox",
        "error": "SMTP 451",
    }


def sample_values(kind: str, language: str) -> dict:
    """A value for each placeholder of `kind`: a realistic one for the names the
    built-in kinds use, and the name itself in brackets for any other."""
    samples = _samples(language)
    return {name: samples.get(name, f"[{name}]") for name in templating.KINDS[kind]}
