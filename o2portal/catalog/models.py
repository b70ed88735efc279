"""What can be bought, at what price (HT, integer cents), and the promo codes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from o2portal.core.types import created_at_field, utc_field


class HostingOffer(SQLModel, table=True):
    """A tier of the single hosting offer (Grow / Cloud / Pro)."""

    __tablename__ = "hosting_offer"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    first_year_cents: int
    renew_1y_cents: int
    renew_2y_cents: int
    renew_3y_cents: int
    disk_gb: int
    cpu_cores: int
    ram_gb: int
    description: str = Field(default="", max_length=1000)
    active: bool = Field(default=True)
    sort_order: int = Field(default=0)


class TldPrice(SQLModel, table=True):
    """One price row per extension, per year."""

    __tablename__ = "tld_price"

    id: int | None = Field(default=None, primary_key=True)
    tld: str = Field(max_length=24, unique=True)  # without the dot: "fr"
    register_cents: int
    renew_cents: int
    transfer_cents: int
    restore_cents: int
    free_with_hosting: bool = Field(default=False)
    active: bool = Field(default=True)


class ServerModel(SQLModel, table=True):
    """A managed server model, priced by the month and billed yearly."""

    __tablename__ = "server_model"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    monthly_cents: int
    cpu: str = Field(max_length=100)
    ram_gb: int
    storage: str = Field(max_length=100)
    bandwidth: str = Field(default="1 Gbit/s", max_length=50)
    active: bool = Field(default=True)
    sort_order: int = Field(default=0)


class CertificateOffer(SQLModel, table=True):
    """An SSL certificate sold for a year: DV for one name, DV wildcard, OV."""

    __tablename__ = "certificate_offer"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    validation: str = Field(max_length=4)  # dv | ov (integrations.ca.Validation)
    wildcard: bool = Field(default=False)  # *.name and name
    year_cents: int  # a year, first order and renewal alike
    description: str = Field(default="", max_length=1000)
    active: bool = Field(default=True)
    sort_order: int = Field(default=0)


class PromoCode(SQLModel, table=True):
    __tablename__ = "promo_code"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    kind: str = Field(max_length=10)  # percent | fixed
    # percent: basis points (1000 = 10 %); fixed: cents HT
    value: int
    valid_from: datetime | None = utc_field()
    valid_until: datetime | None = utc_field()
    max_uses: int | None = None
    used_count: int = Field(default=0)
    active: bool = Field(default=True)
    created_at: datetime = created_at_field()
