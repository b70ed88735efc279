"""Words, not codes: the time left before an expiry, and a product's offer by its name."""

from __future__ import annotations

import pytest
from sqlmodel import select

from o2portal.catalog.defaults import ensure_catalogue
from o2portal.catalog.models import HostingOffer
from o2portal.catalog.offers import offer_name, offer_names
from o2portal.core.db import transaction
from o2portal.core.formatting import days_left


@pytest.mark.parametrize(
    ("days", "fr", "en"),
    [
        (12, "dans 12 jours", "in 12 days"),
        (1, "dans 1 jour", "in 1 day"),
        (0, "aujourd'hui", "today"),
        (-1, "expiré depuis 1 jour", "expired 1 day ago"),
        (-10, "expiré depuis 10 jours", "expired 10 days ago"),
    ],
)
def test_days_left_in_words(days, fr, en):
    assert (days_left(days, "fr"), days_left(days, "en")) == (fr, en)


def test_offers_are_named_from_the_catalogue_even_off_sale(db):
    with transaction() as session:
        ensure_catalogue(session)
        session.exec(select(HostingOffer).where(HostingOffer.code == "pro")).one().active = False
    names = offer_names()
    assert offer_name(names, "hosting", "grow") == "Hébergement Grow"
    assert offer_name(names, "hosting", "pro") == "Hébergement Pro"
    assert offer_name(names, "server", "infogere-s") == "Serveur infogéré S"
    assert offer_name(names, "domain", "fr") == ".fr"
    assert offer_name(names, "hosting", "gone") == "gone"
