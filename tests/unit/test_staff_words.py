"""The staff area speaks in words: every kind of mail and every payment method has a
name in French and in English (no raw code such as order_form or transfer on a page)."""

from __future__ import annotations

import pytest

from o2portal.core.i18n import CATALOGUES
from o2portal.mail.templating import KINDS
from o2portal.web.payment import METHOD_KEYS, method_name


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_mail_kind_has_a_name(lang):
    missing = [kind for kind in KINDS if f"mailkind.{kind}" not in CATALOGUES[lang]]
    assert missing == []


def test_payment_methods_read_as_words():
    assert method_name("transfer", "fr") == "Virement bancaire"
    for code in METHOD_KEYS:
        for lang in ("fr", "en"):
            assert method_name(code, lang) not in ("", code), (code, lang)
    assert method_name(None, "fr") == ""
