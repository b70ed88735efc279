"""Email: every message is written to the outbox inside the caller's transaction, then
delivered over SMTP when one is configured. Without SMTP, mail stays readable in the outbox."""

from __future__ import annotations

import re
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import func
from sqlmodel import Session, col, select

from o2portal.accounts.models import Customer
from o2portal.core import clock, stored_settings
from o2portal.core.batches import ItemFailures
from o2portal.core.db import transaction
from o2portal.core.settings import get_settings
from o2portal.mail import templating
from o2portal.mail.models import MailStatus, MailTemplate, OutboxEmail

# Recipient refusals that mean the address itself is dead (a bounce), not a policy or
# a problem of ours: 550 mailbox unavailable, 551 user not local, 553 name not allowed.
ADDRESS_DEAD_CODES = frozenset({550, 551, 553})
# Characters the email library refuses in a header line.
_HEADER_BREAKS = str.maketrans({"\r": " ", "\n": " ", "\u2028": " ", "\u2029": " ", "\x85": " "})

# Mail whose links are secrets (they open an account): once delivered, the outbox keeps
# the text without the link, so that nobody reading the outbox can use it.
SECRET_LINK_KINDS = frozenset({"welcome", "verify_email", "password_reset", "email_change"})
_TOKEN_LINK = re.compile(r"(\?token=)[\w\-]+")


def without_link_tokens(text: str, marker: str = "[retiré après envoi]") -> str:
    """The text with the secret of every ?token= link replaced by `marker`."""
    return _TOKEN_LINK.sub(lambda m: m.group(1) + marker, text)


# Wait before the n-th retry of a temporary failure (the last one repeats).
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


def queue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    customer_id: int | None = None,
    campaign_id: int | None = None,
) -> OutboxEmail:
    """Write one mail, due now, to the outbox in the caller's transaction."""
    mail = OutboxEmail(
        customer_id=customer_id,
        campaign_id=campaign_id,
        kind=kind,
        to_addr=to,
        subject=subject,
        body_text=body,
        status=MailStatus.PENDING,
        next_attempt_at=clock.now(),
        created_at=clock.now(),
    )
    session.add(mail)
    session.flush()
    return mail


def queue_for_customer(
    session: Session,
    customer: Customer,
    kind: str,
    /,
    *,
    template: str | None = None,
    to: str | None = None,
    **values,
) -> OutboxEmail:
    """Queue the mail `kind` to the address on the customer's fiche (or to `to`: an
    address being changed), written in the customer's language. `template` names the text
    when one outbox kind has several (templating.KINDS); first_name defaults to the
    customer's."""
    if "first_name" in templating.KINDS.get(template or kind, ()):
        values.setdefault("first_name", customer.first_name)
    return queue_rendered(
        session,
        to=to or customer.email,
        language=customer.language,
        kind=kind,
        template=template,
        customer_id=customer.id,
        **values,
    )


def queue_for_account(
    session: Session, customer_id: int, kind: str, /, **values
) -> OutboxEmail | None:
    """queue_for_customer to the customer of that id, unless the account is gone (erased
    or never there): None then."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        return None
    return queue_for_customer(session, customer, kind, **values)


def queue_for_staff(session: Session, kind: str, /, **values) -> OutboxEmail:
    """Queue the mail `kind` to the support address, in French (staff read French)."""
    return queue_rendered(
        session, to=get_settings().support_email, language="fr", kind=kind, **values
    )


def queue_rendered(
    session: Session,
    /,
    *,
    to: str,
    language: str | None,
    kind: str,
    template: str | None = None,
    customer_id: int | None = None,
    **values,
) -> OutboxEmail:
    """Queue the mail `kind` (text: `template`, by default the kind) to any address, in
    `language`; staff mail (to the support address) is written in French."""
    name = template or kind
    edited = session.get(MailTemplate, (name, templating.mail_language(language)))
    override = (edited.subject, edited.body) if edited is not None else None
    subject, body = templating.render(name, language, override, **values)
    return queue_email(
        session, to=to, subject=subject, body=body, kind=kind, customer_id=customer_id
    )


def _build_message(mail: OutboxEmail) -> EmailMessage:
    settings = get_settings()
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = mail.to_addr
    msg["Subject"] = mail.subject.translate(_HEADER_BREAKS)
    msg["Message-ID"] = make_msgid(idstring=f"o2portal-{mail.id}")
    msg.set_content(mail.body_text)
    return msg


def _send(message: EmailMessage) -> None:
    settings = get_settings()
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def deliver_pending(limit: int = 50, failures: ItemFailures | None = None) -> int:
    """Send what is due in the outbox; returns how many were sent. Safe to call any time."""
    if not get_settings().smtp_host:
        return 0
    with transaction() as session:
        # Transactional mail first; mass mail with what is left of the batch and of the
        # minute's allowance (the setting), so a campaign never delays a password reset.
        due = _due(session, OutboxEmail.campaign_id.is_(None), limit)
        room = min(limit - len(due), _mass_mail_room(session))
        if room > 0:
            due += _due(session, OutboxEmail.campaign_id.is_not(None), room)
        # Claim them so that a concurrent sender skips them.
        claim_until = clock.now() + timedelta(minutes=5)
        for mail in due:
            mail.next_attempt_at = claim_until
            session.add(mail)
    sent = 0
    for mail in due:
        # One mail that breaks something of ours waits for its claim to lapse and is
        # tried again; the others go.
        with (failures or ItemFailures()).item(f"delivery of mail {mail.id}"):
            sent += _deliver_one(mail.id)
    return sent


def _due(session: Session, which, limit: int) -> list[OutboxEmail]:
    return list(
        session.exec(
            select(OutboxEmail)
            .where(
                OutboxEmail.status == MailStatus.PENDING,
                col(OutboxEmail.next_attempt_at) <= clock.now(),
                which,
            )
            .order_by(OutboxEmail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )


def _mass_mail_room(session: Session) -> int:
    """How many mass mails may still go this minute: the setting, less those sent in
    the last sixty seconds."""
    sent = session.exec(
        select(func.count())
        .select_from(OutboxEmail)
        .where(
            OutboxEmail.campaign_id.is_not(None),
            OutboxEmail.status == MailStatus.SENT,
            col(OutboxEmail.sent_at) > clock.now() - timedelta(minutes=1),
        )
    ).one()
    return max(0, stored_settings.mass_mail_per_minute(session) - sent)


def _deliver_one(mail_id: int) -> int:
    with transaction() as session:
        mail = session.get(OutboxEmail, mail_id)
        if mail is None or mail.status != MailStatus.PENDING:
            return 0
    error, permanent, address_dead = _attempt(mail)
    with transaction() as session:
        mail = session.get(OutboxEmail, mail_id)
        mail.attempts += 1
        if error is None:
            mail.status = MailStatus.SENT
            mail.sent_at = clock.now()
            mail.last_error = None
            if mail.kind in SECRET_LINK_KINDS:
                mail.body_text = without_link_tokens(mail.body_text)
        elif permanent:
            mail.status = MailStatus.FAILED
            mail.last_error = error[:1000]
            if address_dead and mail.customer_id:
                _mark_address_failing(session, mail, error)
        else:
            # A temporary failure (server down, 4xx) never loses the mail: it waits longer
            # and longer, up to the last delay, and is tried again until it goes.
            mail.last_error = error[:1000]
            delay = RETRY_DELAYS[min(mail.attempts, len(RETRY_DELAYS)) - 1]
            mail.next_attempt_at = clock.now() + delay
        session.add(mail)
    return 1 if error is None else 0


def _attempt(mail: OutboxEmail) -> tuple[str | None, bool, bool]:
    """Try to send one mail: (error or None, give up on this mail, the address is dead).

    Only a recipient refusal with a bounce code blames the address; our own faults
    (login refused, sender refused, server down) are temporary and retried.
    """
    try:
        message = _build_message(mail)
    except (ValueError, TypeError) as exc:
        return f"cannot build the message: {exc}", True, False
    try:
        _send(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        dead = bool(codes) and all(code in ADDRESS_DEAD_CODES for code in codes)
        return f"refused: {exc.recipients}", dead, dead
    except smtplib.SMTPResponseException as exc:
        return f"{exc.smtp_code} {exc.smtp_error!r}", False, False
    except (OSError, smtplib.SMTPException) as exc:
        return f"{type(exc).__name__}: {exc}", False, False
    return None, False, False


def _mark_address_failing(session: Session, mail: OutboxEmail, error: str) -> None:
    customer = session.get(Customer, mail.customer_id)
    if customer is not None and customer.email == mail.to_addr:
        customer.email_failing_at = clock.now()
        customer.email_failing_reason = error[:500]
        session.add(customer)


def deliver_all_due(
    batch: int = 100, max_batches: int = 100, failures: ItemFailures | None = None
) -> int:
    """Deliver the outbox batch after batch until nothing is due (bounded per run)."""
    total = 0
    for _ in range(max_batches):
        sent = deliver_pending(limit=batch, failures=failures)
        total += sent
        if sent < batch:
            break
    return total
