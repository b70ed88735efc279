"""Message catalogues: French by default, English available."""

from __future__ import annotations

import importlib
import pkgutil

from o2portal.core.i18n import en, fr, parts

for _info in sorted(pkgutil.iter_modules(parts.__path__), key=lambda m: m.name):
    _part = importlib.import_module(f"{parts.__name__}.{_info.name}")
    fr.MESSAGES.update(_part.FR)
    en.MESSAGES.update(_part.EN)

CATALOGUES: dict[str, dict[str, str]] = {"fr": fr.MESSAGES, "en": en.MESSAGES}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_LANGUAGE = "fr"


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANGUAGE])
    text = catalogue.get(key) or CATALOGUES[DEFAULT_LANGUAGE].get(key, key)
    return text.format(**values) if values else text
