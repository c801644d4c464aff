"""What a file's labels mean under the law: the implicit label's state, the explicit label's,
the C2PA manifest's and whether it agrees, each shortcoming as a finding that cites its article,
and, for a content platform, the action LBL25 Art. 6 asks of it.

Pure logic over what the carriers read; the service layer opens the files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from chinacomply.aigc import label as label_model
from chinacomply.aigc.formats.base import Metadata
from chinacomply.model import Citation
from chinacomply.rules import law

# What kind of content each carrier holds: it decides which explicit label applies and whether
# the tool can see one (text: in the words; other media: only through our own record).
MODALITY = {
    "png": "image",
    "jpeg": "image",
    "webp": "image",
    "mp4": "video",
    "mp3": "audio",
    "wav": "audio",
    "ooxml": "document",
    "text": "text",
}
EXPLICIT_ARTICLE = {"image": "4(3)", "video": "4(4)", "audio": "4(2)", "text": "4(1)"}
STANDARD_CLAUSE = {"image": "5.2", "video": "5.4", "audio": "5.3", "text": "5.1"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
ANNEX_E = Citation("GB45438", "Annex E")


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str  # error | warning | info
    code: str
    message: str
    citation: Citation | None = None
    also: tuple[Citation, ...] = ()  # the standard's clause, the provision the duty rests on

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if self.citation is not None:
            out |= self.citation.to_dict()
        if self.also:
            out["also"] = [c.to_dict() for c in self.also]
        return out


@dataclass(frozen=True, slots=True)
class Implicit:
    """present | invalid (a value that is not a label) | multiple | absent."""

    state: str
    carrier: str | None = None
    label: label_model.ImplicitLabel | None = None
    problems: tuple[label_model.Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "carrier": self.carrier,
            "label": self.label.to_dict() if self.label else None,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class PlatformAction:
    """A content platform's duty for one upload (LBL25 Art. 6)."""

    case: str  # declared | user_declared | suspected | undeclared
    label: str | None  # the Label value its propagation elements carry, None: add none
    notice: str | None
    citation: Citation

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "label": self.label,
            "notice": self.notice,
            **self.citation.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class FileCheck:
    path: str
    format: str | None
    implicit: Implicit
    explicit: str  # present | absent | unknown
    explicit_detail: str | None
    traces: tuple[str, ...]
    c2pa: dict[str, Any] | None
    c2pa_agrees: bool | None
    findings: tuple[Finding, ...]
    platform: PlatformAction | None = None

    @property
    def worst(self) -> str | None:
        return min(
            (f.severity for f in self.findings), key=SEVERITY_ORDER.__getitem__, default=None
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "format": self.format,
            "implicit": self.implicit.to_dict(),
            "explicit": {"state": self.explicit, "detail": self.explicit_detail},
            "traces": list(self.traces),
            "c2pa": self.c2pa,
            "c2pa_agrees": self.c2pa_agrees,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.platform is not None:
            out["platform"] = self.platform.to_dict()
        return out


def implicit_state(metadata: Metadata) -> Implicit:
    """The implicit label a file carries, judged against Annex E."""
    if not metadata.labels:
        return Implicit("absent")
    if len(metadata.labels) > 1:
        first = metadata.labels[0]
        return Implicit(
            "multiple", ", ".join(c.carrier for c in metadata.labels), _parsed(first.value)
        )
    carried = metadata.labels[0]
    try:
        parsed = label_model.parse(carried.value)
    except label_model.LabelError as err:
        problem = label_model.Problem("error", label_model.KEY, str(err))
        return Implicit("invalid", carried.carrier, None, (problem,))
    return Implicit("present", carried.carrier, parsed, tuple(parsed.problems()))


def _parsed(value: str) -> label_model.ImplicitLabel | None:
    try:
        return label_model.parse(value)
    except label_model.LabelError:
        return None


def explicit_state(format_name: str | None, metadata: Metadata) -> tuple[str, str | None]:
    """present when seen (text) or recorded by this tool when written; absent for text without
    one; unknown otherwise: pixels and sound cannot be read for a label reliably."""
    if metadata.explicit:
        return "present", metadata.explicit
    if MODALITY.get(format_name or "") == "text":
        return "absent", None
    return "unknown", None


def findings_for(
    format_name: str | None,
    implicit: Implicit,
    explicit: str,
    c2pa: dict[str, Any] | None,
    c2pa_agrees: bool | None,
    on: dt.date,
) -> tuple[Finding, ...]:
    """Every shortcoming, most serious first; before the measures apply, legal ones are info."""
    legal = [*_implicit_findings(implicit), *_explicit_findings(format_name, explicit)]
    if not law.parameter("aigc.labels_in_force", on).value:
        in_force = law.parameter("aigc.labels_in_force", dt.date.max).effective_from
        legal = [
            replace(
                f, severity="info", message=f"{f.message} (labels are required from {in_force})"
            )
            for f in legal
        ]
    found = legal + _c2pa_findings(c2pa, c2pa_agrees)
    return tuple(sorted(found, key=lambda f: SEVERITY_ORDER[f.severity]))


def _implicit_findings(implicit: Implicit) -> list[Finding]:
    if implicit.state == "absent":
        return [
            Finding(
                "error",
                "implicit.missing",
                "no AIGC implicit label in the file's metadata",
                Citation("LBL25", "5"),
                (Citation("GB45438", "6.1"), Citation("DS22", "16")),
            )
        ]
    if implicit.state == "multiple":
        return [
            Finding(
                "error",
                "implicit.multiple",
                f"more than one implicit label ({implicit.carrier}); a file carries one",
                Citation("GB45438", "6.1"),
            )
        ]
    return [
        Finding(
            p.severity,
            "implicit.invalid" if implicit.state == "invalid" else "implicit.field",
            p.message,
            ANNEX_E,
        )
        for p in implicit.problems
    ]


def _explicit_findings(format_name: str | None, explicit: str) -> list[Finding]:
    modality = MODALITY.get(format_name or "")
    if modality not in EXPLICIT_ARTICLE or explicit == "present":
        return []
    clause = f"GB 45438 §{STANDARD_CLAUSE[modality]}"
    if explicit == "absent":
        return [
            Finding(
                "warning",
                "explicit.missing",
                f"no explicit {modality} label (an AI element and a generation element at the "
                f"start or end, {clause}); required where DS22 Art. 17(1) applies",
                Citation("LBL25", EXPLICIT_ARTICLE[modality]),
                (Citation("GB45438", STANDARD_CLAUSE[modality]), Citation("DS22", "17(1)")),
            )
        ]
    return [
        Finding(
            "info",
            "explicit.unknown",
            f"whether the {modality} shows an explicit label cannot be read from the file and "
            f"no record of one was found ({clause})",
            Citation("LBL25", EXPLICIT_ARTICLE[modality]),
            (Citation("GB45438", STANDARD_CLAUSE[modality]),),
        )
    ]


def _c2pa_findings(c2pa: dict[str, Any] | None, agrees: bool | None) -> list[Finding]:
    found = []
    if c2pa is not None and c2pa.get("state") == "invalid":
        codes = ", ".join(c2pa.get("codes") or ()) or c2pa.get("reason") or "validation failed"
        found.append(Finding("warning", "c2pa.invalid", f"the C2PA manifest is invalid ({codes})"))
    if agrees is False:
        found.append(
            Finding(
                "warning",
                "c2pa.disagrees",
                "the C2PA manifest and the TC260 label disagree on whether the content is "
                "AI-generated",
            )
        )
    return found


def platform_action(
    implicit: Implicit, traces: tuple[str, ...], explicit: str, user_declared: bool
) -> PlatformAction:
    """LBL25 Art. 6: metadata declares AIGC → notice that it is; the user declares it → notice
    that it may be; only traces (an explicit label, other metadata, a C2PA claim) → notice that
    it is suspected. In those three cases the platform adds its propagation elements."""
    if implicit.label is not None and implicit.state != "invalid":
        value = implicit.label.label if implicit.label.label in label_model.LABEL_VALUES else "1"
        return PlatformAction("declared", value, _NOTICES[value], Citation("LBL25", "6(1)"))
    if user_declared:
        return PlatformAction("user_declared", "2", _NOTICES["2"], Citation("LBL25", "6(2)"))
    if traces or explicit == "present":
        return PlatformAction("suspected", "3", _NOTICES["3"], Citation("LBL25", "6(3)"))
    return PlatformAction(
        "undeclared",
        None,
        None,
        Citation("LBL25", "6(4)"),
    )


_NOTICES = {
    "1": "add a prominent notice around the content: AI-generated (人工智能生成合成内容)",
    "2": "add a notice around the content: may be AI-generated (可能为人工智能生成合成内容)",
    "3": "add a notice around the content: suspected AI-generated (疑似人工智能生成合成内容)",
}


def traces_of(metadata: Metadata, c2pa: dict[str, Any] | None) -> tuple[str, ...]:
    """Signs of AI generation other than the TC260 label, for LBL25 Art. 6(3). A C2PA manifest
    store is no such sign by itself (cameras sign too): only its AI claim counts."""
    found = [t for t in metadata.traces if not t.startswith("C2PA manifest store")]
    if c2pa is not None and c2pa.get("ai_generated"):
        found.append("C2PA manifest declares AI generation")
    return tuple(dict.fromkeys(found))
