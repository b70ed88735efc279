"""Reading a customer's products, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from o2portal.db import read_session
from o2portal.models import Product

PAGE_SIZE = 25


@dataclass
class ProductPage:
    rows: list[Product]
    total: int
    page: int
    pages: int


def list_customer_products(
    customer_id: int, page: int = 1, per_page: int = PAGE_SIZE
) -> ProductPage:
    per_page = max(1, min(per_page, 50))
    with read_session() as session:
        total = session.exec(
            select(func.count()).select_from(Product).where(Product.customer_id == customer_id)
        ).one()
        pages = max(1, -(-total // per_page))
        page = max(1, min(page, pages))
        rows = session.exec(
            select(Product)
            .where(Product.customer_id == customer_id)
            .order_by(Product.expiry_date, Product.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    return ProductPage(list(rows), total, page, pages)
