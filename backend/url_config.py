"""Configs that live in a page's URL: every value a visitor (or a junk link) can put there
is read back into a valid config, clamped or falling back to the default, never an error.

A config is a frozen dataclass deriving from QueryConfig: its fields and their defaults in
one place, its ranges as class constants, `_clean` turning raw values into valid ones, and
QUERY_KEYS naming each field's short URL key.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Self


def number(value: Any, low: float, high: float, default: float) -> float:
    """float(value) clamped to [low, high]; `default` if it is not a finite number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high) if math.isfinite(number) else default


def integer(value: Any, low: int, high: int, default: int) -> int:
    return int(round(number(value, low, high, default)))


def choice(value: Any, choices: Sequence[str], default: str) -> str:
    text = str(value).strip().lower()
    return text if text in choices else default


def flag(value: Any, default: bool) -> bool:
    """A switch: "true" or "false" in any letter case (what to_query writes), else `default`."""
    return choice(value, ("true", "false"), str(default).lower()) == "true"


def last(value: Any) -> Any:
    """A query value, or the last of several (`?a=1&a=2` can arrive as a list)."""
    return value[-1] if isinstance(value, (list, tuple)) and value else value


class QueryConfig:
    """The base of every URL-backed config: `validated` builds a config from raw values
    (each subclass's `_clean` turns them into valid field values), construction checks that
    the values are valid already, and `from_query` / `to_query` map fields to the short URL
    keys in QUERY_KEYS."""
    QUERY_KEYS: ClassVar[dict[str, str]]  # field -> URL query key

    def __post_init__(self) -> None:
        if self != self.validated(**dataclasses.asdict(self)):
            raise ValueError(f"{self} is outside the allowed ranges; "
                             f"{type(self).__name__}.validated clamps values instead")

    @classmethod
    def _clean(cls, get: Callable[[str], Any], default: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def validated(cls, **values: Any) -> Self:
        """A config from raw values (strings or numbers): out-of-range numbers are clamped,
        unreadable values and missing fields take the default."""
        default = {field.name: field.default for field in dataclasses.fields(cls)}
        fields = cls._clean(lambda name: values.get(name, default[name]), default)
        config = cls.__new__(cls)  # not cls(...): its check would call validated again
        for name, value in fields.items():
            object.__setattr__(config, name, value)
        return config

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Self:
        """From URL query parameters (keys in QUERY_KEYS); junk falls back to defaults."""
        return cls.validated(**{field: last(query[key]) for field, key in cls.QUERY_KEYS.items()
                                if key in query})

    def to_query(self) -> dict[str, str]:
        """URL query parameters that `from_query` reads back into this config."""
        return {key: str(getattr(self, field)) for field, key in self.QUERY_KEYS.items()}
