"""The tables, the thin module that lists them for Alembic, and the migrations agree."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

from sqlmodel import SQLModel

import o2portal


def _every_models_module() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(o2portal.__path__, "o2portal.")
        if info.name.endswith(".models")
        and info.name != "o2portal.models"
        and not info.name.startswith("o2portal.web")
    ]


def test_the_thin_module_lists_every_table():
    """A fresh process that imports only o2portal.models (as Alembic's env.py does) sees
    every table that any subject's models module defines."""
    code = (
        "import o2portal.models; from sqlmodel import SQLModel; "
        "print(' '.join(sorted(SQLModel.metadata.tables)))"
    )
    seen = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for name in _every_models_module():
        importlib.import_module(name)
    assert seen == set(SQLModel.metadata.tables)


def test_the_migrations_match_the_tables(db):
    """Autogenerate finds nothing to do: moving a table between packages needs no
    migration, and a change of a table without its migration fails here."""
    from alembic import command

    from o2portal.core.migrate import alembic_config

    command.check(alembic_config())
