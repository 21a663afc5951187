"""Language selection shared by every text-producing function of the life-line library."""

from typing import Literal

Lang = Literal["nl", "en"]


def norm_lang(lang: str) -> Lang:
    """Return "nl" or "en" for a language tag such as "nl", "nl-BE" or "en_GB"; raise ValueError otherwise."""
    prefix = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    if prefix == "nl":
        return "nl"
    if prefix == "en":
        return "en"
    raise ValueError(f"unsupported language {lang!r}: use 'nl' or 'en'")
