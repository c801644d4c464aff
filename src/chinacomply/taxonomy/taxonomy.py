"""PI categories and sensitivity as data: which entity type is which category, and whether it
is sensitive PI under the chosen profile. The law lives in `data/pi_types.yaml`, not in code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from chinacomply import datafiles

DEFAULT_PROFILE = "pipl"


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str
    instrument: str
    article: str


@dataclass(frozen=True, slots=True)
class TypeInfo:
    type: str
    pi: bool
    categories: tuple[str, ...]
    sensitive: dict[str, bool]


class UnknownProfileError(ValueError):
    """A profile name that the taxonomy does not define."""


@cache
def _raw() -> dict[str, Any]:
    text = datafiles.read_text("chinacomply.taxonomy", "data/pi_types.yaml")
    data: dict[str, Any] = datafiles.load_yaml(text)
    return data


@cache
def profiles() -> dict[str, Profile]:
    return {
        name: Profile(name, p["title"], p["instrument"], str(p["article"]))
        for name, p in _raw()["profiles"].items()
    }


@cache
def types() -> dict[str, TypeInfo]:
    out: dict[str, TypeInfo] = {}
    for name, t in _raw()["types"].items():
        out[name] = TypeInfo(name, bool(t["pi"]), tuple(t["categories"]), dict(t["sensitive"]))
    return out


def profile(name: str) -> Profile:
    """The named profile, or an error listing the ones that exist."""
    try:
        return profiles()[name]
    except KeyError:
        known = ", ".join(sorted(profiles()))
        raise UnknownProfileError(f"unknown profile {name!r} (known: {known})") from None


def is_sensitive(type_: str | None, profile_name: str = DEFAULT_PROFILE) -> bool:
    """Whether an entity type is sensitive PI under the profile; None (no PI) never is."""
    if type_ is None:
        return False
    profile(profile_name)
    return types()[type_].sensitive[profile_name]


def categories(type_: str | None) -> tuple[str, ...]:
    return () if type_ is None else types()[type_].categories
