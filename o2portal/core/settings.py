"""Every setting of o2portal, read once from O2PORTAL_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="O2PORTAL_", extra="ignore")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'o2portal.db'}"
    base_url: str = "http://localhost:3000"
    # Where private files (ticket attachments, generated PDFs) live: never under assets/.
    data_dir: Path = PROJECT_ROOT / "data"

    # Signs and derives tokens; the demo value must be replaced in production.
    secret_key: str = "dev-only-change-me-0b6f1f0e5d3a4c2b9e8d7c6b5a493827"

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "o2portal <no-reply@o2portal.example>"
    support_email: str = "support@o2portal.example"
    # How a VAT number is checked before the reverse charge: "offline" (format and check
    # digits) or "vies" (the EU's service; needs the zeep package). integrations/vat.py.
    vat_check: str = "offline"
    # Who signs SSL certificates: "local", the built-in CA kept under data_dir/ca
    # (integrations/ca.py). A real CA (ACME, a reseller's API) adds its own value.
    certificate_authority: str = "local"
    # Where a domain-control TXT record is looked up (integrations/resolver.py): "registry",
    # the built-in registrar's zones, or "dns", real DNS through dnspython, asking
    # dns_nameservers (comma-separated addresses; empty: the system's) on dns_port.
    dns_resolver: str = "registry"
    dns_nameservers: str = ""
    dns_port: int = Field(default=53, ge=1, le=65535)
    dns_timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    # Seller identity printed on invoices (French mandatory mentions).
    seller_name: str = "O2Portal SAS"
    seller_address: str = "12 rue de l'Hébergement\n63000 Clermont-Ferrand\nFrance"
    seller_siret: str = "51096113900027"
    seller_vat_number: str = "FR92510961139"  # FR + key + the SIRET's SIREN
    seller_legal_form: str = "SAS au capital de 100 000 €"
    seller_rcs: str = "RCS Clermont-Ferrand 510 961 139"
    # How an order form is paid offline (bank transfer, cheque), until staff save their own
    # on /admin/settings: printed on the confirmation, the order form's PDF and its mail.
    bank_holder: str = "O2Portal SAS"
    bank_iban: str = "FR7630006000011234567890189"
    bank_bic: str = "AGRIFRPP"
    bank_name: str = "Banque de démonstration"
    cheque_payee: str = "O2Portal SAS"
    cheque_address: str = (
        "O2Portal SAS — Service comptabilité\n12 rue de l'Hébergement\n63000 Clermont-Ferrand"
    )

    # Several workers: the pages' state lives in Redis (redis://127.0.0.1:6379/0, say)
    # instead of one process's memory and disk; empty: one worker, as `make run` does.
    redis_url: str = ""
    # How long the state of a tab nobody uses any more is kept, in seconds.
    state_expiry_seconds: int = Field(default=30 * 60, ge=60, le=24 * 3600)
    # Each web worker keeps to one CPU of its own while there is one free (web/cpu.py).
    pin_worker_cpu: bool = True

    # Reverse proxies in front of the portal whose X-Forwarded-For is trusted (0: none).
    trusted_proxy_hops: int = Field(default=0, ge=0, le=5)
    bcrypt_rounds: int = Field(default=12, ge=12, le=16)
    session_days: int = 14
    reset_link_minutes: int = 60
    verify_link_hours: int = 48
    login_max_failures: int = 5
    login_window_minutes: int = 15
    reset_max_requests: int = 5
    reset_window_minutes: int = 60

    @property
    def uses_demo_secret(self) -> bool:
        return self.secret_key.startswith("dev-only-")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reload_settings() -> Settings:
    """Forget the cached settings (tests change the environment)."""
    get_settings.cache_clear()
    return get_settings()
