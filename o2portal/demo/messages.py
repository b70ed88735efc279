"""The demo's messages: tickets with their threads, the announcement on the dashboard,
and mails already in the outbox."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from o2portal.accounts.models import Customer
from o2portal.content.models import Announcement
from o2portal.core import clock
from o2portal.demo.specs import morning
from o2portal.mail.models import OutboxEmail
from o2portal.products.models import Product
from o2portal.support.models import (
    CannedReply,
    CustomerNote,
    EscalationRule,
    Ticket,
    TicketMessage,
)

_OPEN_TICKET_BODY = """\
Bonjour,

Depuis ce matin, le formulaire de contact de **dupont-photo.fr** renvoie une
erreur 500. Voici le script appelé par le formulaire :

```python
import smtplib
from email.message import EmailMessage


def send_contact(name: str, sender: str, text: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"Contact de {name}"
    msg["From"] = sender
    msg["To"] = "contact@dupont-photo.fr"
    msg.set_content(text)
    with smtplib.SMTP("localhost", 587) as smtp:
        smtp.starttls()
        smtp.send_message(msg)
```

Et l'erreur dans le journal :

```
smtplib.SMTPSenderRefused: (553, b'5.7.1 Sender address rejected')
```

Merci d'avance,
Marie Dupont"""

_CLOSED_TICKET_QUESTION = """\
Bonjour,

Je ne retrouve pas la facture de mon hébergement Cloud. Où puis-je la télécharger ?

Marie"""

_CLOSED_TICKET_REPLY = """\
Bonjour Madame Dupont,

Toutes vos factures sont dans le menu **Factures** : cliquez sur le numéro de la
facture puis sur **Télécharger le PDF**. Elles sont aussi listées sur la page de
votre hébergement, dans **Mes comptes**.

Belle journée,
Thomas — Support O2Portal"""

_BUSINESS_QUESTION = """\
Bonjour,

Nous souhaitons migrer notre boutique (PrestaShop, ~12 Go) de l'hébergement Pro
vers le serveur infogéré **srv1.atelier-lumiere.fr**. Pouvez-vous vous en charger
et nous indiquer la coupure à prévoir ?

Claire Martin — Atelier Lumière"""

_BUSINESS_NOTE = """\
Note interne : client Pro + serveur M, migration offerte (geste commercial validé).
Prévoir la bascule DNS un mardi soir, TTL à abaisser 48 h avant."""

_BUSINESS_REPLY = """\
Bonjour Madame Martin,

Bien sûr, la migration est prise en charge sans frais. Nous proposons de la
réaliser mardi prochain à partir de 21 h ; la coupure de la boutique ne dépassera
pas 15 minutes. Pouvez-vous nous confirmer ce créneau ?

Thomas — Support O2Portal"""


def _add_ticket(
    session: Session, customer: Customer, product: Product | None, days_ago: float, **fields
) -> Ticket:
    created = clock.now() - timedelta(days=days_ago)
    ticket = Ticket(
        customer_id=customer.id,
        product_id=product.id if product else None,
        created_at=created,
        updated_at=created,
        **fields,
    )
    session.add(ticket)
    session.flush()
    return ticket


def _add_message(
    session: Session, ticket: Ticket, author: Customer, body: str, hours_later: float, **flags
) -> None:
    moment = ticket.created_at + timedelta(hours=hours_later)
    session.add(
        TicketMessage(
            ticket_id=ticket.id,
            author_id=author.id,
            is_staff=author.is_staff,
            body=body,
            created_at=moment,
            **flags,
        )
    )
    ticket.updated_at = max(ticket.updated_at, moment)
    session.add(ticket)


def add_tickets(session: Session, people: dict[str, Customer], products: dict) -> None:
    marie, claire, support, admin = (people[k] for k in ("client", "business", "support", "admin"))

    ticket = _add_ticket(
        session, marie, products["m-hosting"], 0.2,
        subject="Erreur 500 sur le formulaire de contact", department="technique",
        priority="haute", status="open",
    )  # fmt: skip
    _add_message(session, ticket, marie, _OPEN_TICKET_BODY, 0)

    ticket = _add_ticket(
        session, marie, products["m-hosting"], 60,
        subject="Où trouver ma facture ?", department="facturation",
        status="closed", assigned_to_id=support.id,
    )  # fmt: skip
    _add_message(session, ticket, marie, _CLOSED_TICKET_QUESTION, 0)
    _add_message(session, ticket, support, _CLOSED_TICKET_REPLY, 2)
    ticket.closed_at = ticket.created_at + timedelta(days=3)

    ticket = _add_ticket(
        session, claire, products["a-server"], 2,
        subject="Migration de la boutique vers le serveur infogéré", department="technique",
        priority="normale", status="answered", assigned_to_id=support.id,
    )  # fmt: skip
    _add_message(session, ticket, claire, _BUSINESS_QUESTION, 0)
    _add_message(session, ticket, admin, _BUSINESS_NOTE, 1, is_internal=True)
    _add_message(session, ticket, support, _BUSINESS_REPLY, 3)


_CANNED = (
    (
        "Erreur 500 : premiers contrôles",
        "technique",
        "Bonjour ${prenom},\n\nMerci pour votre message. Une erreur 500 vient presque "
        "toujours du site lui-même : pouvez-vous regarder le fichier `error_log` à la "
        "racine de votre hébergement et nous en copier les dernières lignes entre ``` ?\n\n"
        "Bien cordialement,\n${agent}, support o2portal",
    ),
    (
        "Code de transfert d'un domaine",
        "",
        "Bonjour ${prenom},\n\nLe code de transfert de votre domaine s'affiche sur sa page, "
        "dans « Mes comptes », bouton « Afficher le code de transfert ». Pensez à retirer le "
        "verrou du registre sur la même page avant de lancer le transfert.\n\n"
        "Bien cordialement,\n${agent}, support o2portal",
    ),
)


def add_support_tools(session: Session, people: dict[str, Customer]) -> None:
    """Canned replies, escalation rules and a note, so the staff's tools have something."""
    admin, support, marie = (people[k] for k in ("admin", "support", "client"))
    for title, department, body in _CANNED:
        session.add(
            CannedReply(title=title, department=department, body=body, updated_by_id=admin.id)
        )
    session.add(EscalationRule(department="", priority="urgente", after_minutes=60))
    session.add(EscalationRule(department="technique", priority="haute", after_minutes=240))
    session.add(
        CustomerNote(
            customer_id=marie.id,
            author_id=support.id,
            body="Photographe, site vitrine et boutique : préfère être appelée le matin.",
        )
    )


def add_announcement(session: Session) -> None:
    now = clock.now()
    day = clock.today() + timedelta(days=7)
    session.add(
        Announcement(
            title="Maintenance planifiée du serveur web12",
            body=(
                f"Le serveur **web12.o2portal.example** sera mis à jour le "
                f"{day:%d/%m/%Y} entre 23 h et 1 h (heure de Paris). Les sites qu'il "
                "héberge pourront être indisponibles quelques minutes pendant "
                "l'intervention. Aucune action n'est nécessaire de votre part."
            ),
            level="warning",
            starts_at=now - timedelta(hours=1),
            ends_at=morning(day + timedelta(days=1)),
            published=True,
            created_at=now - timedelta(hours=1),
        )
    )


# --- Outbox -------------------------------------------------------------------------


def add_mail_history(session: Session, people: dict[str, Customer]) -> None:
    """A few mails already sent and one that bounced, for the staff's emails page."""
    now = clock.now()
    client, paul = people["client"], people["paul"]
    sent = [
        (client, "welcome", "Bienvenue chez o2portal",
         "Bonjour Marie,\n\nConfirmez votre adresse : "
         "http://localhost:3000/verify-email?token=[retiré après envoi]\n", 30),
        (client, "invoice", "Votre facture o2portal",
         "Bonjour Marie,\n\nVotre facture est disponible dans votre espace client.\n", 12),
        (people["business"], "reminder", "Votre hébergement arrive à échéance",
         "Bonjour,\n\nVotre hébergement expire bientôt. Renouvelez-le depuis votre espace.\n",
         5),
    ]  # fmt: skip
    for owner, kind, subject, body, days in sent:
        moment = now - timedelta(days=days)
        session.add(
            OutboxEmail(
                customer_id=owner.id, kind=kind, to_addr=owner.email, subject=subject,
                body_text=body, status="sent", attempts=1, next_attempt_at=moment,
                created_at=moment, sent_at=moment + timedelta(seconds=3),
            )
        )  # fmt: skip
    failed_at = now - timedelta(days=2)
    session.add(
        OutboxEmail(
            customer_id=paul.id, kind="reminder", to_addr=paul.email,
            subject="Votre nom de domaine arrive à échéance",
            body_text="Bonjour Paul,\n\nVotre nom de domaine expire bientôt.\n",
            status="failed", attempts=1, next_attempt_at=failed_at, created_at=failed_at,
            last_error=f"refused: {{'{paul.email}': (550, b'5.1.1 Mailbox unavailable')}}",
        )
    )  # fmt: skip
