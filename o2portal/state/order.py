"""Commander: the catalogue with its prices before tax."""

from __future__ import annotations

import reflex as rx

from o2portal.domain.catalog import active_catalogue
from o2portal.domain.formatting import money
from o2portal.state.guards import require_customer
from o2portal.state.session import language_of, show_user


class OrderState(rx.State):
    hosting: list[dict[str, str]] = []
    tlds: list[dict[str, str]] = []
    servers: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        user = require_customer(self)
        await show_user(self, user)
        lang = await language_of(self)
        catalogue = active_catalogue()
        self.hosting = [
            {
                "code": o.code,
                "name": o.name,
                "first_year": money(o.first_year_cents, lang),
                "renew_1y": money(o.renew_1y_cents, lang),
                "specs": f"{o.disk_gb} Go · {o.cpu_cores} vCPU · {o.ram_gb} Go RAM",
                "description": o.description,
            }
            for o in catalogue.hosting
        ]
        self.tlds = [
            {
                "tld": "." + d.tld,
                "register": money(d.register_cents, lang),
                "renew": money(d.renew_cents, lang),
                "transfer": money(d.transfer_cents, lang),
            }
            for d in catalogue.tlds
        ]
        self.servers = [
            {
                "code": s.code,
                "name": s.name,
                "monthly": money(s.monthly_cents, lang),
                "specs": f"{s.cpu} · {s.ram_gb} Go RAM · {s.storage}",
            }
            for s in catalogue.servers
        ]
