"""A pack's reference for users, in Markdown, generated from the pack itself so it cannot drift:
the facts it reads (from the schema: key, type, required or default, meaning), the outcomes it
gives, its rules and duties with their citations, its dated parameters and its policies.

`chinacomply rules reference --pack P` prints it; docs/facts/<pack>.md is this output, and a
test fails when the committed file differs from it.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from chinacomply.rules import law
from chinacomply.rules.pack import Pack, RuleMeta


def _type(annotation: Any) -> str:
    """A type as a user writes the value: `true/false`, `whole number`, one of the words."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0])
    if origin in (typing.Union, types.UnionType):
        shown = [_type(a) for a in args if a is not type(None)]
        return " or ".join(shown) + (" or null" if type(None) in args else "")
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (tuple, list):
        return f"list of {_type(args[0])}" if args else "list"
    names = {
        bool: "true/false",
        int: "whole number",
        float: "number",
        str: "text",
        dt.date: "date (YYYY-MM-DD)",
        dt.datetime: "timestamp (YYYY-MM-DDTHH:MM+08:00)",
    }
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    value = info.default
    if value is PydanticUndefined or isinstance(value, BaseModel):
        return "—"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if value == ():
        return "[]"
    return f"`{value}`"


def _model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str, str, str]]:
    """(key, type, required or default, meaning) for every fact, sections flattened."""
    for name, info in model.model_fields.items():
        if not prefix and name == "pack":
            continue
        key = f"{prefix}{name}"
        section = _model(info.annotation)
        if section is not None:
            yield key, "section", "", (section.__doc__ or "").strip().split("\n\n")[0]
            yield from fields(section, f"{key}.")
        else:
            meaning = " ".join((info.description or "").split())
            yield key, _type(info.annotation), _default(info), meaning


def _cite(meta: RuleMeta) -> str:
    cite = f"{meta.citation.instrument} {meta.citation.article}"
    if meta.explains:
        cite += (
            " (read with " + ", ".join(f"{c.instrument} {c.article}" for c in meta.explains) + ")"
        )
    return cite


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _facts(pack: Pack) -> list[str]:
    lines = [
        "## Facts",
        "",
        f"A facts file names the pack (`pack: {pack.id}`"
        + (", or no `pack:` at all" if pack.id == "export" else "")
        + ") and may give `as_of`, the date whose law applies (default: today). A fact marked "
        "**required** must be given, even where it is `null`: the engine never decides on a "
        "fact it had to guess. Unknown keys are refused.",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for key, kind, default, meaning in fields(pack.facts_model):
        if kind == "section":
            lines.append(f"| **`{key}`** | section | | {_cell(meaning)} |")
        else:
            lines.append(f"| `{key}` | {_cell(kind)} | {default} | {_cell(meaning)} |")
    if pack.inventory:
        lines += ["", "With `assess --from-inventory`, these facts come from the inventory:", ""]
        for fact, kinds in pack.inventory.items():
            held = ", ".join(f"`{k}`" for k in kinds) if kinds else "any PI"
            lines.append(f"- `{fact}`: the individuals of every dataset holding {held}")
    return lines


def _outcomes(pack: Pack) -> list[str]:
    lines = ["## Outcomes", ""]
    for stage in pack.stages:
        mark = " (ends the assessment)" if stage.final else ""
        when = f" (only when `{stage.when}` is given)" if stage.when else ""
        lines += [f"Stage `{stage.id}`: {stage.title}{mark}{when}", ""]
        lines += [f"- `{k}`: {v}" for k, v in stage.outcomes.items()]
        lines.append("")
    return lines


def _rules(pack: Pack) -> list[str]:
    lines = ["## Rules", "", "| rule | stage | cites | in force | yields | what it says |"]
    lines.append("|---|---|---|---|---|---|")
    for meta in pack.rules:
        until = f" to {meta.effective_to}" if meta.effective_to else ""
        lines.append(
            f"| `{meta.id}` | {meta.stage} | {_cell(_cite(meta))} | {meta.effective_from}"
            f"{until} | {meta.yields or '—'} | {_cell(meta.title)} |"
        )
    lines += ["", "## Duties", "", "| duty | cites | in force | comes with | text |"]
    lines.append("|---|---|---|---|---|")
    for meta in pack.duties:
        until = f" to {meta.effective_to}" if meta.effective_to else ""
        with_ = ", ".join(meta.outcomes) or "any outcome"
        lines.append(
            f"| `{meta.id}` | {_cell(_cite(meta))} | {meta.effective_from}{until} | {with_} | "
            f"{_cell(meta.text or meta.title)} |"
        )
    return lines


def _parameters(pack: Pack) -> list[str]:
    lines = ["## Parameters", "", "| parameter | from | value | cites | note |"]
    lines.append("|---|---|---|---|---|")
    for name, values in pack.parameters.items():
        for value in values:
            mark = f"{law.MARKS[value.mark]}. " if value.mark and value.mark != "T" else ""
            note = _cell(mark + (value.note or ""))
            cite = f"{value.citation.instrument} {value.citation.article}"
            lines.append(
                f"| `{name}` | {value.effective_from} | `{value.value}` | {cite} | {note} |"
            )
    if pack.policies:
        lines += ["", "## Policies (open questions)", ""]
        for policy in pack.policies.values():
            lines.append(f"- `{policy.name}` (default `{policy.default}`): {policy.question}")
            lines += [f"  - `{k}`: {v}" for k, v in policy.options.items()]
    return lines


def _instruments(pack: Pack) -> list[str]:
    metas = (*pack.rules, *pack.duties)
    cited = sorted(
        {m.citation.instrument for m in metas} | {c.instrument for m in metas for c in m.explains}
    )
    lines = ["## Instruments cited", ""]
    for ident in cited:
        inst = law.instruments()[ident]
        where = f" <{inst.url}>" if inst.url else ""
        lines.append(f"- `{ident}`: {inst.zh} — {inst.en}; {inst.issuer}.{where}")
    return lines


def markdown(pack: Pack) -> str:
    """The whole reference of one pack."""
    head = [
        f"# The `{pack.id}` pack: {pack.title}",
        "",
        f"Generated from the pack (`chinacomply rules reference --pack {pack.id}`); do not edit "
        f"by hand. Ruleset {pack.version}, law encoded from {pack.covers_from}.",
        "",
    ]
    parts = [head, _facts(pack), [""], _outcomes(pack), _rules(pack), [""], _parameters(pack)]
    parts += [[""], _instruments(pack)]
    return "\n".join(line for part in parts for line in part) + "\n"
