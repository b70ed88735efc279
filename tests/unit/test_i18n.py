"""Both catalogues hold the same keys, and placeholders match."""

import re

from o2portal.core.i18n import CATALOGUES, translate


def test_french_and_english_have_the_same_keys():
    assert set(CATALOGUES["fr"]) == set(CATALOGUES["en"])


def test_placeholders_match():
    for key, text in CATALOGUES["fr"].items():
        assert set(re.findall(r"{(\w+)}", text)) == set(
            re.findall(r"{(\w+)}", CATALOGUES["en"][key])
        ), key


def test_unknown_language_falls_back_to_french():
    assert translate("nav.invoices", "de") == "Factures"
