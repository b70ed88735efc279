"""Mail templates edited by staff, mass mail campaigns and their outbox mails.

Revision ID: c190d963dd0e
Revises: b88afff2dfcb
Create Date: 2026-12-06 19:26:41.867592
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import o2portal.core.types

revision: str = "c190d963dd0e"
down_revision: str | None = "b88afff2dfcb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# SQLite's batch mode copies outbox_email into a new table, and cannot carry over an index
# on an expression: the staff search's (f758410efe7c) is made again after it.
_SEARCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_search_outbox_to_addr ON outbox_email (lower(to_addr))"
)


def _search_index_again() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_SEARCH_INDEX)


def upgrade() -> None:
    op.create_table(
        "mail_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("segment_json", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["customer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "mail_template",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", o2portal.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["customer.id"],
        ),
        sa.PrimaryKeyConstraint("kind", "language"),
    )
    with op.batch_alter_table("outbox_email", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_email_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_outbox_email_campaign_id_mail_campaign", "mail_campaign", ["campaign_id"], ["id"]
        )
    _search_index_again()


def downgrade() -> None:
    with op.batch_alter_table("outbox_email", schema=None) as batch_op:
        batch_op.drop_constraint("fk_outbox_email_campaign_id_mail_campaign", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_email_campaign_id"))
        batch_op.drop_column("campaign_id")
    _search_index_again()

    op.drop_table("mail_template")
    op.drop_table("mail_campaign")
