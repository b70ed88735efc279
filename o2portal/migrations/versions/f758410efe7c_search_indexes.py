"""search indexes: staff prefix searches read an index (o2portal/core/search.py)

Revision ID: f758410efe7c
Revises: ad927beb885f
Create Date: 2026-12-06 14:00:00

Written by hand: these indexes are on expressions and, on PostgreSQL, in the "C"
collation, which Alembic's autogenerate neither writes nor compares (migrations/env.py
leaves indexes named ix_search_* out of the comparison).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f758410efe7c"
down_revision: str | None = "ad927beb885f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name: (table, expression, whether SQLite needs it: its BINARY order is already code-point
# order, so a plain column's existing index serves it there)
INDEXES = {
    "ix_search_customer_email": ("customer", "email", False),
    "ix_search_customer_last_name": ("customer", "lower(last_name)", True),
    "ix_search_customer_first_name": ("customer", "lower(first_name)", True),
    "ix_search_customer_company_name": ("customer", "lower(company_name)", True),
    "ix_search_product_name": ("product", "name", False),
    "ix_search_invoice_number": ("invoice", "number", False),
    "ix_search_outbox_to_addr": ("outbox_email", "lower(to_addr)", True),
    "ix_search_audit_action": ("audit_event", "action", False),
}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, (table, expression, on_sqlite) in INDEXES.items():
        if postgres:
            op.execute(f'CREATE INDEX {name} ON {table} (({expression}) COLLATE "C")')
        elif on_sqlite:
            op.execute(f"CREATE INDEX {name} ON {table} ({expression})")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, (_table, _expression, on_sqlite) in INDEXES.items():
        if postgres or on_sqlite:
            op.execute(f"DROP INDEX {name}")
