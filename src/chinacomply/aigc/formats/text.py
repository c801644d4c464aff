"""Plain text and Markdown: the implicit label as a YAML front-matter block at the very top.

GB 45438-2025 names no carrier for text files; some generation services prepend

    ---
    AIGC:
      Label: "1"
      ContentProducer: "..."
      (the other five Annex E fields)
    ---

to the Markdown they produce. The TC260 text practice
guide (TC260-PG-20258A) is relayed as using this block (docs/aigc-verification.md, secondary
sources only), and it is what this module writes: Markdown tools (Jekyll, Hugo, Pandoc,
static-site generators) already treat such a block as metadata and do not show it. Readers
also accept `AIGC: '<json>'`, the label as one JSON string, which other tools write.

An existing front matter is edited, not rewritten: only the `AIGC` key's lines change, every
other line stays as it was. The file stays UTF-8 (a byte-order mark stays), and keeps its line
endings. Text files are small, so a file is read whole, up to `MAX_TEXT_BYTES`.

The explicit label of text is in the text itself (a "本内容由人工智能生成" line at its start or
end), so no record of it is written: reading reports the label phrase the text begins or ends
with.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from functools import cache
from typing import Any, BinaryIO

import yaml

from chinacomply import datafiles
from chinacomply.aigc import label
from chinacomply.aigc.explicit import text as explicit_text
from chinacomply.aigc.formats.base import Carried, FormatError, Metadata, Update
from chinacomply.rules import law

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
MAX_TEXT_BYTES = 64 * 1024 * 1024
MAX_FRONT_MATTER = 64 * 1024  # characters of YAML parsed; real front matter is a few hundred
CARRIER = "YAML front matter key AIGC (TC260-PG-20258A as relayed)"

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A top-level AIGC key (plain or quoted) at the start of a line of the front matter.
_AIGC_KEY = re.compile(r"""(?:AIGC|"AIGC"|'AIGC')[ \t]*:(?:[ \t]|\r?\n|\Z)""")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


class TextFormat:
    """Plain text and Markdown, recognised by extension (text has no signature)."""

    name = "text"
    carrier = CARRIER

    def sniff(self, head: bytes, suffix: str) -> bool:
        """A text extension, and no NUL byte in the head, which text never holds (UTF-16, a
        binary renamed .txt)."""
        return suffix in SUFFIXES and b"\x00" not in head

    def read(self, stream: BinaryIO) -> Metadata:
        text = _decode(stream.read(MAX_TEXT_BYTES + 1))
        labels = _labels(_front_matter_mapping(text))
        found = explicit_text.find_label(text, _rules_date())
        return Metadata(labels=labels, explicit=None if found is None else found.phrase)

    def write(self, stream: BinaryIO, out: BinaryIO, update: Update) -> None:
        """`update.explicit` is not used: the explicit label of text is the text itself
        (`chinacomply.aigc.explicit.text.add_label`)."""
        text = _decode(stream.read(MAX_TEXT_BYTES + 1))
        try:
            update.label_json.encode("utf-8")
        except UnicodeEncodeError:
            raise FormatError(
                "the label has an unpaired surrogate, which UTF-8 cannot carry"
            ) from None
        before = _front_matter_mapping(text)
        labelled = _with_label(text, update.label_json)
        _check_written(labelled, update.label_json, before)
        out.write(labelled.encode("utf-8"))


FORMAT = TextFormat()


@cache
def _rules_date() -> date:
    """The date the explicit-label rule is judged on: the latest in the law data, so a reading
    does not depend on the machine's clock."""
    return law.parameters()["aigc.explicit.ai_elements"][-1].effective_from


def _decode(data: bytes) -> str:
    """The text of a UTF-8 file, a byte-order mark kept as U+FEFF so writing restores it."""
    if len(data) > MAX_TEXT_BYTES:
        raise FormatError(f"the text is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB")
    if data.startswith(_UTF16_BOMS):
        raise FormatError("the text is UTF-16 (byte-order mark at offset 0); only UTF-8 is read")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FormatError(f"the text is not UTF-8: invalid byte at offset {err.start}") from None


def _front_matter_mapping(text: str) -> dict[Any, Any] | None:
    """The front matter's YAML as a mapping; None when the text has none."""
    block = explicit_text.front_matter(text)
    if block is None:
        return None
    content = text[block.content_start : block.content_end]
    if len(content) > MAX_FRONT_MATTER:
        raise FormatError(f"the front matter is larger than {MAX_FRONT_MATTER} characters")
    data = _load_yaml(content, text.count("\n", 0, block.content_start))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FormatError("the front matter at the top of the text is not a YAML mapping")
    return data


def _load_yaml(content: str, first_line: int) -> Any:
    """PyYAML's safe loader (no object tags); libyaml itself limits nesting depth."""
    try:
        return datafiles.load_yaml(content)
    except yaml.MarkedYAMLError as err:
        line = (
            "" if err.problem_mark is None else f" at line {err.problem_mark.line + 1 + first_line}"
        )
        raise FormatError(f"the front matter is not valid YAML{line}") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        raise FormatError("the front matter is not valid YAML") from None


def _labels(mapping: dict[Any, Any] | None) -> tuple[Carried, ...]:
    if mapping is None or label.KEY not in mapping:
        return ()
    return (Carried(CARRIER, _label_value(mapping[label.KEY])),)


def _label_value(value: Any) -> str:
    """The label as the JSON text other carriers hold. A mapping's keys come in the standard's
    order; anything unexpected (an unknown key, `Label: 1` as a number) is kept, for the label
    check to report."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        fields = {str(key): item for key, item in value.items()}
        ordered = {name: fields.pop(name) for name in label.FIELDS if name in fields}
        value = ordered | fields
    # ASCII, as `ImplicitLabel.to_json` writes it (Annex E j)), so a canonical label reads back
    # as the very string written.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=str)


def _with_label(text: str, label_json: str) -> str:
    newline = _newline(text)
    block_lines = _aigc_lines(label_json, newline)
    found = explicit_text.front_matter(text)
    if found is None:
        start = explicit_text.body_start(text)
        return text[:start] + "---" + newline + block_lines + "---" + newline + text[start:]
    content = text[found.content_start : found.content_end]
    return (
        text[: found.content_start] + _replace_key(content, block_lines) + text[found.content_end :]
    )


def _newline(text: str) -> str:
    """The file's line ending: that of its first line, LF for a file of one line."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _aigc_lines(label_json: str, newline: str) -> str:
    """The `AIGC:` key as YAML lines. A canonical label becomes a mapping of the seven fields;
    anything else is written as one JSON string, so reading gives back exactly what was given."""
    try:
        parsed = label.parse(label_json)
    except label.LabelError:
        parsed = None
    if parsed is None or parsed.to_json() != label_json:
        return f"{label.KEY}: {_yaml_quoted(label_json)}{newline}"
    lines = [f"{label.KEY}:"]
    lines += [f"  {name}: {_yaml_quoted(value)}" for name, value in parsed.to_dict().items()]
    return newline.join(lines) + newline


def _yaml_quoted(value: str) -> str:
    """A YAML double-quoted string; every character YAML would fold, drop or refuse (line
    breaks, controls, invisible format characters) written as an escape."""
    parts = ['"']
    for char in value:
        if char in '"\\':
            parts.append("\\" + char)
        elif _prints_as_itself(char):
            parts.append(char)
        elif ord(char) <= 0xFF:
            parts.append(f"\\x{ord(char):02X}")
        elif ord(char) <= 0xFFFF:
            parts.append(f"\\u{ord(char):04X}")
        else:
            parts.append(f"\\U{ord(char):08X}")
    parts.append('"')
    return "".join(parts)


def _prints_as_itself(char: str) -> bool:
    if " " <= char <= "~":
        return True
    if ord(char) < 0xA0 or char in "\ufeff\ufffe\uffff":
        return False
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def _replace_key(content: str, block_lines: str) -> str:
    """The front matter with its top-level AIGC key (the first; any duplicate is dropped, one
    label per file) replaced by `block_lines`, or those appended; other lines untouched."""
    lines = _LINE.findall(content)
    spans = _key_spans(lines)
    if not spans:
        return content + block_lines
    kept: list[str] = []
    previous_end = 0
    for index, (start, end) in enumerate(spans):
        kept += lines[previous_end:start]
        if index == 0:
            kept.append(block_lines)
        previous_end = end
    kept += lines[previous_end:]
    return "".join(kept)


def _key_spans(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges of each top-level AIGC key with its value: the key line and the indented
    (or `- ` sequence) lines under it, without trailing blank lines."""
    spans = []
    index = 0
    while index < len(lines):
        if not _AIGC_KEY.match(lines[index]):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and _continues(lines[end]):
            end += 1
        while end > index + 1 and not lines[end - 1].strip():
            end -= 1
        spans.append((index, end))
        index = end
    return spans


def _continues(line: str) -> bool:
    return not line.strip() or line[0] in " \t" or line.startswith("- ")


def _check_written(labelled: str, label_json: str, before: dict[Any, Any] | None) -> None:
    """Read back what is about to be written: exactly the new label, and every other key of the
    front matter as it was. Line surgery on YAML written by hand can go wrong (a flow mapping,
    a block indented as a whole); refusing then is better than writing a broken file."""
    unchanged = FormatError("the front matter's AIGC key could not be replaced without changing it")
    try:
        after = _front_matter_mapping(labelled) or {}
    except FormatError:
        raise unchanged from None
    others_before = {key: value for key, value in (before or {}).items() if key != label.KEY}
    others_after = {key: value for key, value in after.items() if key != label.KEY}
    if _labels(after) != (Carried(CARRIER, label_json),) or repr(others_after) != repr(
        others_before
    ):
        raise unchanged
