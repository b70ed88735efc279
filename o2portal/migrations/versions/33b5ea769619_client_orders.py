"""client orders

Revision ID: 33b5ea769619
Revises: f998e22900f1
Create Date: 2026-12-06 22:48:54.412646
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import o2portal.core.types

revision: str = "33b5ea769619"
down_revision: str | None = "f998e22900f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The default FAQ's entry about contacts, as installations got it (the French one from
# the contacts migration eb2f2c2113cb, the English one from ensure_faq), now also
# describes administrative contacts and orders for a client. Only a row still holding
# that text is rewritten: an answer staff have edited is theirs and stays.
FAQ_QUESTION = "Qui sont les contacts technique et administratif de mon domaine ?"
FAQ_BEFORE = "Un **contact** est un autre compte client à qui vous confiez l'un de vos produits\n(domaine, hébergement, serveur) : votre agence web, votre webmaster, votre service\ninformatique. Tout se fait vous-même, depuis la page **Contacts** :\n\n1. Votre webmaster crée son propre compte client s'il n'en a pas : chacun garde ses\n   identifiants, vous ne partagez jamais les vôtres.\n2. Dans **Contacts → Inviter un contact**, choisissez le produit et saisissez\n   l'adresse email de son compte client. Il reçoit l'invitation par email.\n3. Il l'accepte depuis **son** espace, page **Contacts**. Le produit apparaît alors\n   chez lui dans **Mes comptes → Gérés pour d'autres**.\n\nUn **contact technique** voit le produit, change les serveurs DNS d'un domaine et\nouvre des tickets à son sujet. Il ne voit jamais vos factures, vos moyens de paiement\nni vos coordonnées, et ne renouvelle pas à votre place.\n\nChaque action d'un contact vous est signalée par email et reste visible dans\n**Contacts → Ce que vos contacts ont fait**. Le bouton **Retirer l'accès** coupe son\naccès immédiatement, pages ouvertes comprises.\n\nAuprès du registre, le titulaire et le contact administratif d'un domaine restent\nles coordonnées de **Ma fiche** ; le contact technique déclaré est O2Portal, qui gère\nles serveurs DNS et l'enregistrement pour vous. Pour changer le titulaire, voir\n*« Comment transférer la propriété d'un produit »*."
FAQ_AFTER = "Un **contact** est un autre compte client à qui vous confiez l'un de vos produits\n(domaine, hébergement, serveur) : votre agence web, votre webmaster, votre service\ninformatique. Tout se fait vous-même, depuis la page **Contacts** :\n\n1. Votre webmaster crée son propre compte client s'il n'en a pas : chacun garde ses\n   identifiants, vous ne partagez jamais les vôtres.\n2. Dans **Contacts → Inviter un contact**, choisissez le produit et le rôle, et\n   saisissez l'adresse email de son compte client. Il reçoit l'invitation par email.\n3. Il l'accepte depuis **son** espace, page **Contacts**. Le produit apparaît alors\n   chez lui dans **Mes comptes → Gérés pour d'autres**.\n\nUn **contact technique** voit le produit, change les serveurs DNS d'un domaine et\nouvre des tickets à son sujet. Un **contact administratif** peut en plus le\n**renouveler et le payer avec ses propres moyens de paiement** : le bon de commande et\nla facture restent à votre nom, et votre carte enregistrée n'est jamais utilisée pour\nlui. Ni l'un ni l'autre ne voit vos factures, vos moyens de paiement ni vos\ncoordonnées.\n\nVotre webmaster peut aussi **commander pour vous** : dans **Commander**, il choisit\n« Pour un client » et saisit l'adresse email de votre compte. Rien n'est payé à ce\nstade : vous recevez un email et voyez la commande dans **Contacts → Commandes\nproposées pour mon compte**, au prix calculé pour vous (votre pays, votre numéro de\nTVA). Acceptez-la ou refusez-la dans les 14 jours. Une fois acceptée, le bon de\ncommande est à votre nom ; votre webmaster le paie (ou vous-même, depuis\n**Factures**), le produit est créé sur votre compte, la facture est établie à votre\nnom et il devient contact administratif du produit.\n\nChaque action d'un contact vous est signalée par email et reste visible dans\n**Contacts → Ce que vos contacts ont fait**. Le bouton **Retirer l'accès** coupe son\naccès immédiatement, pages ouvertes comprises ; **Retirer son droit de payer** fait de\nmême pour une commande acceptée qu'il n'a pas encore payée.\n\nAuprès du registre, le titulaire et le contact administratif d'un domaine restent\nles coordonnées de **Ma fiche** ; le contact technique déclaré est O2Portal, qui gère\nles serveurs DNS et l'enregistrement pour vous. Pour changer le titulaire, voir\n*« Comment transférer la propriété d'un produit »*."
FAQ_QUESTION_EN = "Who are the technical and administrative contacts of my domain?"
FAQ_BEFORE_EN = 'A **contact** is another customer account to which you entrust one of your\nproducts (domain, hosting, server): your web agency, your webmaster, your IT\ndepartment. You do it all yourself, from the **Contacts** page:\n\n1. Your webmaster creates their own customer account if they have none: each keeps\n   their own sign-in details, you never share yours.\n2. In **Contacts → Invite a contact**, choose the product and enter the email\n   address of their customer account. They receive the invitation by email.\n3. They accept it from **their** area, on the **Contacts** page. The product then\n   shows in their **My services → Managed for others**.\n\nA **technical contact** sees the product, changes a domain\'s name servers and\nopens tickets about it. They never see your invoices, your means of payment or\nyour details, and do not renew in your place.\n\nEvery action of a contact is reported to you by email and stays visible in\n**Contacts → What your contacts did**. The **Revoke access** button ends their\naccess at once, open pages included.\n\nAt the registry, the holder and the administrative contact of a domain remain the\ndetails in **My details**; the technical contact declared is O2Portal, which runs\nthe name servers and the registration for you. To change the holder, see *"How do\nI transfer the ownership of a product"*.'
FAQ_AFTER_EN = 'A **contact** is another customer account to which you entrust one of your\nproducts (domain, hosting, server): your web agency, your webmaster, your IT\ndepartment. You do it all yourself, from the **Contacts** page:\n\n1. Your webmaster creates their own customer account if they have none: each keeps\n   their own sign-in details, you never share yours.\n2. In **Contacts → Invite a contact**, choose the product and the role, and enter\n   the email address of their customer account. They receive the invitation by email.\n3. They accept it from **their** area, on the **Contacts** page. The product then\n   shows in their **My services → Managed for others**.\n\nA **technical contact** sees the product, changes a domain\'s name servers and\nopens tickets about it. An **administrative contact** can also **renew it and pay\nwith their own means of payment**: the order form and the invoice stay in your name,\nand your saved card is never used for them. Neither sees your invoices, your means\nof payment or your details.\n\nYour webmaster can also **order for you**: in **Order**, they choose "For a client"\nand enter the email address of your account. Nothing is paid at that point: you\nreceive an email and see the order in **Contacts → Orders proposed for my account**,\nat the price worked out for you (your country, your VAT number). Accept or refuse it\nwithin 14 days. Once accepted, the order form is in your name; your webmaster pays\nit (or you do, from **Invoices**), the product is created in your account, the\ninvoice is made out to you and they become the product\'s administrative contact.\n\nEvery action of a contact is reported to you by email and stays visible in\n**Contacts → What your contacts did**. The **Revoke access** button ends their\naccess at once, open pages included; **Take back their right to pay** does the same\nfor an accepted order they have not paid yet.\n\nAt the registry, the holder and the administrative contact of a domain remain the\ndetails in **My details**; the technical contact declared is O2Portal, which runs\nthe name servers and the registration for you. To change the holder, see *"How do\nI transfer the ownership of a product"*.'
_FAQ = sa.table("faq_entry", sa.column("question"), sa.column("answer"), sa.column("language"))
_ENTRIES = (
    ("fr", FAQ_QUESTION, FAQ_BEFORE, FAQ_AFTER),
    ("en", FAQ_QUESTION_EN, FAQ_BEFORE_EN, FAQ_AFTER_EN),
)


def _rewrite_faq(*, back: bool = False) -> None:
    for language, question, before, after in _ENTRIES:
        old, new = (after, before) if back else (before, after)
        op.execute(
            _FAQ.update()
            .where(
                _FAQ.c.question == question,
                _FAQ.c.language == language,
                _FAQ.c.answer == old,
            )
            .values(answer=new)
        )


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "client_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("items_json", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["customer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order_form.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
        sa.UniqueConstraint("order_id"),
    )
    with op.batch_alter_table("client_order", schema=None) as batch_op:
        batch_op.create_index(
            "ix_client_order_client_status", ["client_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_client_order_contact_status", ["contact_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_client_order_status_expires", ["status", "expires_at"], unique=False
        )

    with op.batch_alter_table("order_form", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_order_form_agent_id"), ["agent_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_order_form_agent_id_customer", "customer", ["agent_id"], ["id"]
        )

    # ### end Alembic commands ###
    _rewrite_faq()


def downgrade() -> None:
    _rewrite_faq(back=True)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("order_form", schema=None) as batch_op:
        batch_op.drop_constraint("fk_order_form_agent_id_customer", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_order_form_agent_id"))
        batch_op.drop_column("agent_id")

    with op.batch_alter_table("client_order", schema=None) as batch_op:
        batch_op.drop_index("ix_client_order_status_expires")
        batch_op.drop_index("ix_client_order_contact_status")
        batch_op.drop_index("ix_client_order_client_status")

    op.drop_table("client_order")
    # ### end Alembic commands ###
