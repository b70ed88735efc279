"""Bring the database schema up to date with Alembic (also used by tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from o2portal.core.db import get_engine
from o2portal.core.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", get_settings().database_url)
    return cfg


def upgrade_database() -> None:
    command.upgrade(alembic_config(), "head")
    analyze()


def analyze() -> None:
    """Give the query planner fresh statistics, so that it picks the index that matches
    each list (without them SQLite may read every customer's rows through a lesser one).
    Run after migrating and once a day by the retention job."""
    engine = get_engine()
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def make_migration(message: str) -> None:
    command.revision(alembic_config(), message=message, autogenerate=True)
