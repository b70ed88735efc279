"""The default catalogue (prices HT, integer cents) and the settings it needs.

Staff edit the catalogue afterwards; `ensure_catalogue` only adds what is missing,
so it never overwrites a price someone changed.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from o2portal.catalog.models import CertificateOffer, HostingOffer, ServerModel, TldPrice
from o2portal.core.models import Setting

DEFAULT_REMINDER_SCHEDULE = ["D-60", "D-30", "D-15", "D-7", "D-1", "D0", "D+7"]

HOSTING_OFFERS: list[dict] = [
    {
        "code": "grow",
        "name": "Hébergement Grow",
        "first_year_cents": 3360,
        "renew_1y_cents": 8400,
        "renew_2y_cents": 16800,
        "renew_3y_cents": 25200,
        "disk_gb": 100,
        "cpu_cores": 4,
        "ram_gb": 8,
        "description": (
            "L'offre unique pour démarrer : 100 Go SSD NVMe, 4 vCPU, 8 Go de RAM, "
            "e-mails, bases de données et certificats SSL illimités. "
            "Un nom de domaine offert la première année."
        ),
        "sort_order": 1,
    },
    {
        "code": "cloud",
        "name": "Hébergement Cloud",
        "first_year_cents": 2112,
        "renew_1y_cents": 19200,
        "renew_2y_cents": 28800,
        "renew_3y_cents": 32400,
        "disk_gb": 250,
        "cpu_cores": 8,
        "ram_gb": 16,
        "description": (
            "Pour les sites à fort trafic : 250 Go SSD NVMe, 8 vCPU, 16 Go de RAM, "
            "sauvegardes quotidiennes conservées 30 jours. "
            "Un nom de domaine offert la première année."
        ),
        "sort_order": 2,
    },
    {
        "code": "pro",
        "name": "Hébergement Pro",
        "first_year_cents": 4608,
        "renew_1y_cents": 28800,
        "renew_2y_cents": 48000,
        "renew_3y_cents": 57600,
        "disk_gb": 500,
        "cpu_cores": 12,
        "ram_gb": 32,
        "description": (
            "Pour les boutiques et les agences : 500 Go SSD NVMe, 12 vCPU, 32 Go de RAM, "
            "ressources garanties et support prioritaire. "
            "Un nom de domaine offert la première année."
        ),
        "sort_order": 3,
    },
]

# Per year, HT. Restoration is the fee between day 31 and day 50 after expiry.
TLD_PRICES: list[dict] = [
    {"tld": "fr", "register_cents": 825, "renew_cents": 825, "transfer_cents": 825,
     "restore_cents": 3500, "free_with_hosting": True},
    {"tld": "com", "register_cents": 1050, "renew_cents": 1250, "transfer_cents": 1250,
     "restore_cents": 6500, "free_with_hosting": True},
    {"tld": "net", "register_cents": 1250, "renew_cents": 1450, "transfer_cents": 1450,
     "restore_cents": 6500, "free_with_hosting": True},
    {"tld": "org", "register_cents": 1250, "renew_cents": 1350, "transfer_cents": 1350,
     "restore_cents": 6500, "free_with_hosting": True},
    {"tld": "eu", "register_cents": 825, "renew_cents": 950, "transfer_cents": 950,
     "restore_cents": 3500, "free_with_hosting": True},
    {"tld": "be", "register_cents": 825, "renew_cents": 950, "transfer_cents": 950,
     "restore_cents": 3500, "free_with_hosting": True},
    {"tld": "io", "register_cents": 3900, "renew_cents": 4500, "transfer_cents": 4500,
     "restore_cents": 9500, "free_with_hosting": False},
    {"tld": "info", "register_cents": 1500, "renew_cents": 2200, "transfer_cents": 2200,
     "restore_cents": 6500, "free_with_hosting": False},
    {"tld": "ch", "register_cents": 1100, "renew_cents": 1100, "transfer_cents": 1100,
     "restore_cents": 4000, "free_with_hosting": False},
]  # fmt: skip

SERVER_MODELS: list[dict] = [
    {
        "code": "infogere-s",
        "name": "Serveur infogéré S",
        "monthly_cents": 14900,
        "cpu": "AMD EPYC 4244P — 6 cœurs / 12 threads",
        "ram_gb": 32,
        "storage": "2 × 960 Go SSD NVMe (RAID 1)",
        "bandwidth": "1 Gbit/s",
        "sort_order": 1,
    },
    {
        "code": "infogere-m",
        "name": "Serveur infogéré M",
        "monthly_cents": 21900,
        "cpu": "AMD EPYC 4464P — 12 cœurs / 24 threads",
        "ram_gb": 64,
        "storage": "2 × 1,92 To SSD NVMe (RAID 1)",
        "bandwidth": "1 Gbit/s",
        "sort_order": 2,
    },
    {
        "code": "infogere-l",
        "name": "Serveur infogéré L",
        "monthly_cents": 29900,
        "cpu": "AMD EPYC 4584PX — 16 cœurs / 32 threads",
        "ram_gb": 128,
        "storage": "2 × 3,84 To SSD NVMe (RAID 1)",
        "bandwidth": "10 Gbit/s",
        "sort_order": 3,
    },
]

CERTIFICATE_OFFERS: list[dict] = [
    {
        "code": "ssl-dv",
        "name": "Certificat SSL DV",
        "validation": "dv",
        "wildcard": False,
        "year_cents": 2900,
        "description": (
            "Validation du domaine par un enregistrement DNS : un nom (exemple.fr ou "
            "www.exemple.fr), émis en quelques minutes."
        ),
        "sort_order": 1,
    },
    {
        "code": "ssl-dv-wildcard",
        "name": "Certificat SSL DV Wildcard",
        "validation": "dv",
        "wildcard": True,
        "year_cents": 9900,
        "description": (
            "Le domaine et tous ses sous-domaines d'un niveau (*.exemple.fr), pour un "
            "domaine géré dans votre compte."
        ),
        "sort_order": 2,
    },
    {
        "code": "ssl-ov",
        "name": "Certificat SSL OV",
        "validation": "ov",
        "wildcard": False,
        "year_cents": 14900,
        "description": (
            "Le nom de votre organisation inscrit dans le certificat, en plus de la "
            "validation du domaine."
        ),
        "sort_order": 3,
    },
]


def ensure_catalogue(session: Session) -> None:
    """Insert every default catalogue row that is missing (by code or TLD)."""
    _ensure_rows(session, HostingOffer, "code", HOSTING_OFFERS)
    _ensure_rows(session, TldPrice, "tld", TLD_PRICES)
    _ensure_rows(session, ServerModel, "code", SERVER_MODELS)
    _ensure_rows(session, CertificateOffer, "code", CERTIFICATE_OFFERS)
    _ensure_setting(session, "reminder_schedule", DEFAULT_REMINDER_SCHEDULE)
    session.flush()


def _ensure_rows(session: Session, model: type, key: str, rows: list[dict]) -> None:
    existing = set(session.exec(select(getattr(model, key))).all())
    for row in rows:
        if row[key] not in existing:
            session.add(model(**row))


def _ensure_setting(session: Session, key: str, value: object) -> None:
    if session.get(Setting, key) is None:
        session.add(Setting(key=key, value_json=json.dumps(value, separators=(",", ":"))))
