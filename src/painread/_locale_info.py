"""[`painread.LocaleInfo`][], apart so that only callers of [`painread.locale_info`][] create it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class LocaleInfo(BaseModel):
    """What a locale serves, for language pickers and "translated by" notes."""

    # The schema is built on first validation: building it loads importlib.metadata.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    code: str = Field(description="canonical code of the locale served, e.g. 'pt_BR'")
    tag: str = Field(description="the same as a BCP 47 tag, e.g. 'pt-BR', for lang attributes")
    display_name: str = Field(description="the locale's name in the display language")
    direction: Literal["ltr", "rtl"]
    completeness: float = Field(ge=0, le=1, description="share of source units served in it")
    reviewed: bool = Field(
        description="every catalog that served a unit was reviewed by a medical translator "
        "(False exactly when the article carries the unreviewed-translation notice)"
    )
    origin: str = Field(description="'source', 'bundled', 'plugin:<name>' or 'registered:<path>'")
    origins: tuple[str, ...] = Field(description="every origin that served a unit, by precedence")
    fallbacks: tuple[str, ...] = Field(
        default=(),
        description="the other locales that served units, best first ('en' for the source)",
    )
