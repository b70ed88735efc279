"""Alembic environment: the database of the settings, the metadata of o2portal.models."""

from alembic import context
from sqlmodel import SQLModel

import o2portal.models  # noqa: F401  (fills the metadata)
from o2portal.core.db import get_engine

target_metadata = SQLModel.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The search indexes are on expressions in the "C" collation, written by hand in their
    migration (o2portal/core/search.py): autogenerate can neither write nor compare them."""
    return not (type_ == "index" and (name or "").startswith("ix_search_"))


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    with get_engine().connect() as connection:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
