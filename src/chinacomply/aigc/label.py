"""The implicit AIGC label of GB 45438-2025 Annex E: seven string fields, stored as one JSON
object under the key `AIGC` in a file's metadata.

The five elements the standard requires (label, producer, production ID, propagator,
propagation ID) must be non-empty; the two reserved fields may be. On first write the generator
is also the first propagator (propagator = producer, propagation ID = production ID), the way
the TC260 practice guides and real files fill them; a platform that passes the file on replaces
the propagation elements (LBL25 Art. 6) and keeps the producer's. A file carries one label:
writers update it in place, never add a second.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, replace

from chinacomply.aigc import provider

KEY = "AIGC"
FIELDS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
# Annex E: label, producer and production ID are required of the generator; the propagation
# elements are required too by the full-text relay of the standard but not by every implementer
# (docs/aigc-verification.md, row 1.6), so an empty one is a warning.
REQUIRED = ("Label", "ContentProducer", "ProduceID")
PROPAGATION = ("ContentPropagator", "PropagateID")
# Annex E j): values "mainly" of GB 18030 code points 0x21, 0x23-0x5B, 0x5D-0x7E (printable ASCII
# without space, '"' and '\\'). A should, not a ban: the checker warns, the writer refuses.
RECOMMENDED_CHARACTERS = frozenset(chr(c) for c in (0x21, *range(0x23, 0x5C), *range(0x5D, 0x7F)))
LABEL_VALUES = {
    "1": "AI-generated (属于人工智能生成合成内容)",
    "2": "may be AI-generated (可能为人工智能生成合成内容)",
    "3": "suspected AI-generated (疑似为人工智能生成合成内容)",
}
PROVIDER_FIELDS = ("ContentProducer", "ContentPropagator")


class LabelError(ValueError):
    """A label that cannot be read or built; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a label: `error` breaks GB 45438 Annex E, `warning` is doubtful."""

    severity: str  # error | warning
    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"severity": self.severity, "field": self.field, "message": self.message}


@dataclass(frozen=True, slots=True)
class ImplicitLabel:
    """The seven Annex E fields, in their standard order."""

    label: str
    content_producer: str
    produce_id: str
    reserved_code1: str = ""
    content_propagator: str = ""
    propagate_id: str = ""
    reserved_code2: str = ""

    @classmethod
    def first_write(
        cls, producer: str, produce_id: str, label: str = "1", reserved_code1: str = ""
    ) -> ImplicitLabel:
        """The label a generation service writes: it is also the first propagator."""
        return cls(label, producer, produce_id, reserved_code1, producer, produce_id, "")

    def propagated(
        self,
        propagator: str,
        propagate_id: str,
        label: str | None = None,
        reserved_code2: str = "",
    ) -> ImplicitLabel:
        """The label after a platform passes the content on: its own propagation elements, the
        producer's elements kept (LBL25 Art. 6, last paragraph)."""
        return replace(
            self,
            label=self.label if label is None else label,
            content_propagator=propagator,
            propagate_id=propagate_id,
            reserved_code2=reserved_code2,
        )

    def values(self) -> tuple[str, ...]:
        return (
            self.label,
            self.content_producer,
            self.produce_id,
            self.reserved_code1,
            self.content_propagator,
            self.propagate_id,
            self.reserved_code2,
        )

    def to_dict(self) -> dict[str, str]:
        return dict(zip(FIELDS, self.values(), strict=True))

    def to_json(self) -> str:
        """Compact JSON in standard order, plain (no Base64) and pure ASCII, as Annex E j) asks:
        any other character is written as a JSON escape."""
        return json.dumps(self.to_dict(), ensure_ascii=True, separators=(",", ":"))

    def problems(self) -> list[Problem]:
        """Every way this label falls short of Annex E, most serious first."""
        found: list[Problem] = []
        for name, value in zip(FIELDS, self.values(), strict=True):
            if name in REQUIRED and not value.strip():
                found.append(Problem("error", name, f"{name} is required and empty"))
            if name in PROPAGATION and not value.strip():
                found.append(
                    Problem(
                        "warning",
                        name,
                        f"{name} is empty; on first write it repeats the "
                        "producer's element (Annex E, note 1)",
                    )
                )
            bad = _bad_character(value)
            if bad:
                found.append(Problem("error", name, f"{name} contains {bad}"))
            elif value and not set(value) <= RECOMMENDED_CHARACTERS:
                found.append(Problem("warning", name, f"{name} {CHARSET_ADVICE}"))
        if self.label and self.label not in LABEL_VALUES:
            found.append(
                Problem("error", "Label", f"Label is {self.label!r}; it must be '1', '2' or '3'")
            )
        for name in PROVIDER_FIELDS:
            found.extend(_provider_problems(name, self.to_dict()[name]))
        return sorted(found, key=lambda p: p.severity != "error")


CHARSET_ADVICE = "has characters outside Annex E j) (printable ASCII without space, '\"' and '\\')"


def charset_problems(label: ImplicitLabel) -> list[Problem]:
    """The Annex E j) warnings: what a writer refuses although a reader only warns."""
    return [p for p in label.problems() if p.message.endswith(CHARSET_ADVICE)]


def _bad_character(value: str) -> str | None:
    """Control or format characters make a label unreadable or spoofable (a right-to-left
    override can disguise a provider's code), so none is allowed."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return f"a control or invisible character U+{ord(char):04X}"
    if value != value.strip():
        return "leading or trailing white space"
    return None


def _provider_problems(name: str, value: str) -> list[Problem]:
    if not value.strip():
        return []
    if not provider.looks_like_code(value):
        return [
            Problem(
                "warning",
                name,
                f"{name} is a name, not a TC260-PG-20252A provider code (LBL25 Art. 5 allows "
                "either; a code can be checked)",
            )
        ]
    code = provider.parse(value)
    found = [Problem("error", name, f"{name} code {problem}") for problem in code.problems]
    if not found and name == "ContentProducer" and code.service_type == "2":
        found.append(
            Problem("warning", name, f"{name} code has service type 2 (propagation), not 1")
        )
    return found


def parse(text: str) -> ImplicitLabel:
    """Read a label from its JSON; unknown keys are refused, missing ones read as empty.

    Raises LabelError when the text is not a JSON object of strings."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise LabelError(f"the AIGC value is not JSON ({err.msg} at character {err.pos})") from None
    if isinstance(data, dict) and len(data) == 1 and set(data) <= {"AIGC", "aigc"}:
        data = next(iter(data.values()))  # the Annex E b) form {"AIGC": {...}}, also in use
    if not isinstance(data, dict):
        raise LabelError("the AIGC value is JSON but not an object of the seven fields")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise LabelError(f"the AIGC value has unknown fields: {', '.join(unknown)}")
    values = []
    for name in FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str):  # `"Label": 1` is seen in the wild; Annex E says strings
            raise LabelError(f"the AIGC field {name} is {type(value).__name__}, not a string")
        values.append(value)
    return ImplicitLabel(*values)
