"""The hosting control panel, shaped like a real one (cPanel/WHM), and the built-in one.

A real panel plugs in by implementing HostingPanel; nothing here takes the portal's
database session, and every call may raise ProviderDown (the panel did not answer):

    create_account(main_domain=, plan=, disk_mb=, owner_ref=, request_id=) -> PanelAccount
                                  the same request_id gets the same account back
    suspend(username, reason)     -> None
    unsuspend(username)           -> None
    terminate(username)           -> None   the account and its files are deleted

The built-in LocalPanel keeps its own book of accounts (provisioned_account) in its own
transactions and spreads them over three servers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func
from sqlmodel import select

from o2portal.core import clock
from o2portal.core.db import transaction
from o2portal.integrations.models import ProvisionedAccount
from o2portal.integrations.providers import Reachable, replay

HOSTING_SERVERS = ("web11.o2portal.example", "web12.o2portal.example", "web13.o2portal.example")


class AccountUnknown(Exception):
    """The panel has no such account."""


@dataclass(frozen=True)
class PanelAccount:
    username: str
    server: str


class HostingPanel(Protocol):
    def create_account(
        self, *, main_domain: str, plan: str, disk_mb: int, owner_ref: str, request_id: str
    ) -> PanelAccount: ...

    def suspend(self, username: str, reason: str) -> None: ...

    def unsuspend(self, username: str) -> None: ...

    def terminate(self, username: str) -> None: ...


def username_base(main_domain: str) -> str:
    """Eight letters and digits from the domain's first label, starting with a letter."""
    text = unicodedata.normalize("NFKD", main_domain.split(".")[0])
    base = re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())
    if not base or not base[0].isalpha():
        base = "u" + base
    return base[:8]


class LocalPanel(Reachable):
    label = "the hosting panel"

    def create_account(
        self, *, main_domain: str, plan: str, disk_mb: int, owner_ref: str, request_id: str
    ) -> PanelAccount:
        self._reachable()

        def create() -> dict:
            base = username_base(main_domain)
            username = base
            for n in range(1, 1000):
                taken = session.exec(
                    select(ProvisionedAccount.id).where(ProvisionedAccount.username == username)
                ).first()
                if taken is None:
                    break
                username = f"{base}{n}"
            count = session.exec(select(func.count()).select_from(ProvisionedAccount)).one()
            account = ProvisionedAccount(
                username=username,
                server=HOSTING_SERVERS[count % len(HOSTING_SERVERS)],
                main_domain=main_domain,
                status="active",
                created_at=clock.now(),
            )
            session.add(account)
            session.flush()
            return {"username": account.username, "server": account.server}

        with transaction() as session:
            answer = replay(session, "panel", request_id, create)
        return PanelAccount(answer["username"], answer["server"])

    def _set_status(self, username: str, status: str) -> None:
        self._reachable()
        with transaction() as session:
            account = session.exec(
                select(ProvisionedAccount)
                .where(ProvisionedAccount.username == username)
                .with_for_update()
            ).first()
            if account is None:
                raise AccountUnknown(username)
            if account.status != "terminated":  # a terminated account stays so
                account.status = status
                session.add(account)

    def suspend(self, username: str, reason: str) -> None:
        self._set_status(username, "suspended")

    def unsuspend(self, username: str) -> None:
        self._set_status(username, "active")

    def terminate(self, username: str) -> None:
        self._set_status(username, "terminated")


_panel: HostingPanel = LocalPanel()


def panel() -> HostingPanel:
    return _panel
