"""Message catalogues: French by default, English available."""

from __future__ import annotations

from o2portal.i18n import en, fr

CATALOGUES: dict[str, dict[str, str]] = {"fr": fr.MESSAGES, "en": en.MESSAGES}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_LANGUAGE = "fr"


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])
    text = catalogue.get(key) or CATALOGUES[DEFAULT_LANGUAGE].get(key, key)
    return text.format(**values) if values else text
