"""A facts form for any rule pack, built from the pack's schema: one input per fact, of the kind
its type asks for, and the typed mapping back from what was posted.

A required yes/no fact is a choice with no preselected answer, so a form left untouched is
refused naming the fact, as a facts file would be; a nullable fact left blank is null.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from starlette.datastructures import FormData


@dataclass(frozen=True)
class FormField:
    name: str  # dotted key, as in a facts file
    widget: str  # yesno | choice | choices | number | decimal | date | datetime | text
    options: tuple[str, ...]
    required: bool
    nullable: bool
    description: str
    default: str  # what the input shows at first


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside Annotated/Optional, and whether null is allowed."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = _unwrap(args[0])
        return inner, True
    return annotation, False


def _widget(kind: Any) -> tuple[str, tuple[str, ...]]:
    origin = typing.get_origin(kind)
    if origin is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(kind))
    if origin in (tuple, list):
        inner, _ = _unwrap(typing.get_args(kind)[0])
        return "choices", _widget(inner)[1]
    simple = {
        bool: "yesno",
        int: "number",
        float: "decimal",
        dt.date: "date",
        dt.datetime: "datetime",
    }
    return simple.get(kind, "text"), ()


def _shown(value: Any) -> str:
    if value is None or isinstance(value, BaseModel) or value == ():
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fields(model: type[BaseModel], prefix: str = "") -> list[FormField]:
    """Every fact of a pack's model, sections flattened to dotted names."""
    out: list[FormField] = []
    for name, info in model.model_fields.items():
        if not prefix and name == "pack":
            continue
        kind, nullable = _unwrap(info.annotation)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out += fields(kind, f"{prefix}{name}.")
            continue
        widget, options = _widget(kind)
        default = "" if info.is_required() else _shown(info.default)
        out.append(
            FormField(
                f"{prefix}{name}",
                widget,
                options,
                info.is_required(),
                nullable,
                " ".join((info.description or "").split()),
                default,
            )
        )
    return out


def _typed(item: FormField, text: str) -> Any:
    """The value a facts file would hold; text that is not a number stays text, so the facts
    parser names the key that is wrong."""
    if item.widget == "yesno":
        return {"true": True, "false": False}.get(text, text)
    converters: dict[str, type[int] | type[float]] = {"number": int, "decimal": float}
    if item.widget in converters:
        try:
            return converters[item.widget](text)
        except ValueError:
            return text
    return text


def facts(
    pack_id: str, items: list[FormField], form: FormData
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The facts mapping from the posted form, and the values to show the form again with."""
    raw: dict[str, Any] = {"pack": pack_id}
    values: dict[str, Any] = {}
    for item in items:
        *sections, key = item.name.split(".")
        target = raw
        for section in sections:
            target = target.setdefault(section, {})
        if item.widget == "choices":
            picked = [v for v in form.getlist(item.name) if isinstance(v, str)]
            values[item.name] = picked
            target[key] = picked
            continue
        posted = form.get(item.name)
        text = posted.strip() if isinstance(posted, str) else ""
        values[item.name] = text
        if text:
            target[key] = _typed(item, text)
        elif item.nullable and item.required:
            target[key] = None
    return raw, values
