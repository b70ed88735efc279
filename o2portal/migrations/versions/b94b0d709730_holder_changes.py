"""Change of holder ("trade"): the holder_change table; and the default FAQ's answer
about changing the holder, which told customers to open a ticket, now describes the
self-service flow, on installations where staff left that answer as it was (an answer
they edited is theirs and stays).

Revision ID: b94b0d709730
Revises: c190d963dd0e
Create Date: 2026-12-06 19:28:20.084746
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import o2portal.core.types

revision: str = "b94b0d709730"
down_revision: str | None = "c190d963dd0e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUESTION = "Comment transférer la propriété d'un produit à une autre personne ?"
# The texts as they were at this revision (the default FAQ may change later).
OLD_ANSWER = """\
Un hébergement, un nom de domaine ou un serveur peut changer de titulaire
(cession d'une activité, changement de prestataire, passage d'un particulier
à sa société…). La procédure est gratuite :

1. Le **nouveau titulaire** crée son propre compte client s'il n'en a pas.
2. Le **titulaire actuel** ouvre un ticket (**Tickets → Nouveau ticket**,
   département *commercial*) en précisant le produit et l'adresse e-mail du compte
   qui doit le recevoir.
3. Le nouveau titulaire confirme son accord en répondant depuis son compte.

Pour un nom de domaine, le changement de titulaire est aussi déclaré au registre
(pour le `.fr`, auprès de l'Afnic). Les factures déjà émises restent au nom de
l'ancien titulaire ; les renouvellements suivants sont facturés au nouveau."""
NEW_ANSWER = """\
Un hébergement, un nom de domaine, un serveur ou un certificat peut changer de
titulaire (cession d'une activité, changement de prestataire, passage d'un
particulier à sa société…). C'est gratuit et se fait depuis votre espace client :

1. Le **nouveau titulaire** crée son propre compte client s'il n'en a pas.
2. Le **titulaire actuel** ouvre le produit (**Mes comptes**, puis le produit) et,
   dans **Changer de titulaire**, indique l'adresse e-mail du compte qui doit le
   recevoir, coche la confirmation et clique sur **Proposer le changement**.
3. Le destinataire est prévenu par e-mail ; il **accepte** ou **refuse** depuis
   **Changements de titulaire** (un rappel s'affiche sur son tableau de bord).
   Sans réponse sous **14 jours**, la proposition expire. Tant qu'elle attend, le
   titulaire actuel peut l'annuler.

À l'acceptation, le produit passe dans le compte du nouveau titulaire avec son
échéance et ses options ; le **renouvellement automatique est désactivé** jusqu'à
ce qu'il l'active. Les deux comptes sont prévenus par e-mail. Pour un nom de
domaine, le changement de titulaire est aussi déclaré au registre (pour le `.fr`,
auprès de l'Afnic). Les factures déjà émises restent au nom de l'ancien
titulaire ; les renouvellements suivants sont facturés au nouveau.

Un produit **suspendu**, dont un **bon de commande de renouvellement n'est pas
réglé** ou dont un **paiement est en attente** (carte, virement, chèque) ne peut
pas changer de titulaire tant que ce n'est pas réglé : la page du produit dit
pourquoi."""

faq = sa.table(
    "faq_entry",
    sa.column("question", sa.String),
    sa.column("answer", sa.String),
    sa.column("language", sa.String),
)


def _replace_answer(before: str, after: str) -> None:
    op.execute(
        faq.update()
        .where(faq.c.question == QUESTION, faq.c.language == "fr", faq.c.answer == before)
        .values(answer=after)
    )


def upgrade() -> None:
    op.create_table(
        "holder_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("from_customer_id", sa.Integer(), nullable=False),
        sa.Column("to_customer_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("offered_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cancelled_by_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["from_customer_id"], ["customer.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.ForeignKeyConstraint(["to_customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("holder_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_holder_change_from_status", ["from_customer_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_holder_change_product_status", ["product_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_holder_change_status_expires", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(
            "ix_holder_change_to_status", ["to_customer_id", "status"], unique=False
        )
    _replace_answer(OLD_ANSWER, NEW_ANSWER)


def downgrade() -> None:
    _replace_answer(NEW_ANSWER, OLD_ANSWER)
    with op.batch_alter_table("holder_change", schema=None) as batch_op:
        batch_op.drop_index("ix_holder_change_to_status")
        batch_op.drop_index("ix_holder_change_status_expires")
        batch_op.drop_index("ix_holder_change_product_status")
        batch_op.drop_index("ix_holder_change_from_status")
    op.drop_table("holder_change")
