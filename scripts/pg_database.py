"""Create a PostgreSQL database if it does not exist yet: `pg_database.py URL`, where URL
is the SQLAlchemy URL o2portal will use (postgresql+psycopg://user@host:port/name)."""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url


def main(url: str) -> None:
    target = make_url(url)
    with psycopg.connect(
        host=target.host or "127.0.0.1",
        port=target.port or 5432,
        user=target.username or "postgres",
        password=target.password or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)
        ).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database)))
            print(f"created database {target.database}")


if __name__ == "__main__":
    main(sys.argv[1])
