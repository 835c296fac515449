"""The board's string catalogue: every text a person reads on the web, by key.

Catalogues live in ``central/i18n/<lang>.json`` (flat ``{"key": "text"}``; ``{name}``
placeholders filled with :py:meth:`str.format_map`). Spanish (usted) is the reference; another
language is added by dropping a file with the same keys beside it.
"""

import json
import logging
from functools import lru_cache
from importlib import resources
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "es"


@lru_cache(maxsize=8)
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    text = resources.files("central").joinpath("i18n", f"{language}.json").read_text("utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"catalogue {language} is not an object")
    return {str(k): str(v) for k, v in data.items()}


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def translate(key: str, language: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text for ``key`` in ``language`` (falling back to Spanish, then the key itself)."""
    text = catalogue(language).get(key)
    if text is None and language != DEFAULT_LANGUAGE:
        text = catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        log.warning("missing catalogue key %s", key)
        return key
    if values:
        return text.format_map(_Defaulting(values))
    return text


def t(key: str, /, **values: Any) -> str:
    """Spanish text for ``key``; the helper templates call."""
    return translate(key, DEFAULT_LANGUAGE, **values)


def has_key(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    return key in catalogue(language)
