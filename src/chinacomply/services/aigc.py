"""The AIGC use cases: check the labels of files and folders, and write labels onto a file.

Writing never leaves a half-written file: every step goes to a temporary file beside the target
and one rename puts the result in place. Checking never stops a batch: a corrupt or unknown
file becomes a finding about that file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from chinacomply.aigc import check, formats
from chinacomply.aigc import label as label_model
from chinacomply.aigc.formats.base import Format, FormatError, Metadata, Update
from chinacomply.sources import folders

# Formats whose carrier sees a C2PA manifest store itself: the C2PA reader (slow next to a
# metadata read) runs on those files only when the carrier saw one.
C2PA_SNIFFED = {"png", "jpeg", "webp"}
C2PA_FORMATS = C2PA_SNIFFED | {"mp4", "mp3", "wav"}
C2PA_TRACE = "C2PA manifest store"
PROPAGATION_FIELDS = {"Label", "ContentPropagator", "PropagateID", "ReservedCode2"}


class AigcError(ValueError):
    """A request that cannot be carried out; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class CheckOptions:
    on: dt.date
    as_platform: bool = False
    user_declared: bool = False
    trust_anchors_pem: str | None = None


def files(targets: list[str]) -> Iterator[Path]:
    """Every file the targets name: folders walked in sorted order, hidden entries skipped."""
    seen: set[Path] = set()
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found = list(folders.walk(path))
        elif path.is_file():
            found = [path]
        else:
            raise AigcError(f"{target}: no such file or directory")
        for file in found:  # a file named twice (a folder and a file in it) counts once
            if file.resolve() not in seen:
                seen.add(file.resolve())
                yield file


def _detect(path: Path) -> Format | None:
    with path.open("rb") as stream:
        head = stream.read(formats.HEAD_BYTES)
    return formats.detect(head, path.suffix)


def _read(path: Path, fmt: Format) -> Metadata:
    with path.open("rb") as stream:
        return fmt.read(stream)


def _c2pa_state(path: Path, fmt: Format, metadata: Metadata, trust: str | None) -> Any:
    """The file's C2PA manifest state (an aigc.c2pa.ManifestState), or None for formats C2PA
    does not define (documents, text)."""
    from chinacomply.aigc import c2pa

    if fmt.name not in C2PA_FORMATS:
        return None
    if fmt.name in C2PA_SNIFFED and not any(t.startswith(C2PA_TRACE) for t in metadata.traces):
        return c2pa.ManifestState("none")
    return c2pa.manifest_state(path, trust)


def check_file(path: Path, options: CheckOptions) -> check.FileCheck:
    """One file's labels and what they mean; unreadable content is a finding, not an error."""
    try:
        fmt = _detect(path)
        if fmt is None:
            return _unsupported(path, "no implicit-label carrier for this file type")
        metadata = _read(path, fmt)
    except FormatError as err:
        return _unsupported(path, f"not a well-formed file: {err}", "error")
    except OSError as err:
        return _unsupported(path, f"cannot be read: {err.strerror}", "error")
    from chinacomply.aigc import c2pa as c2pa_layer

    manifest = _c2pa_state(path, fmt, metadata, options.trust_anchors_pem)
    implicit = check.implicit_state(metadata)
    explicit, detail = check.explicit_state(fmt.name, metadata)
    c2pa = None if manifest is None else manifest.to_dict()
    value = implicit.label.label if implicit.label is not None else None
    agrees = None if manifest is None else c2pa_layer.agrees(manifest, value)
    traces = check.traces_of(metadata, c2pa)
    return check.FileCheck(
        path=str(path),
        format=fmt.name,
        implicit=implicit,
        explicit=explicit,
        explicit_detail=detail,
        traces=traces,
        c2pa=c2pa,
        c2pa_agrees=agrees,
        findings=check.findings_for(fmt.name, implicit, explicit, c2pa, agrees, options.on),
        platform=(
            check.platform_action(implicit, traces, explicit, options.user_declared)
            if options.as_platform
            else None
        ),
    )


def _unsupported(path: Path, why: str, severity: str = "info") -> check.FileCheck:
    finding = check.Finding(
        severity, "file.unreadable" if severity == "error" else "file.unsupported", why
    )
    return check.FileCheck(
        path=str(path),
        format=None,
        implicit=check.Implicit("absent"),
        explicit="unknown",
        explicit_detail=None,
        traces=(),
        c2pa=None,
        c2pa_agrees=None,
        findings=(finding,),
    )


def check_paths(
    targets: list[str], options: CheckOptions, progress: Callable[[Path], None] | None = None
) -> Iterator[check.FileCheck]:
    for path in files(targets):
        if progress is not None:
            progress(path)
        yield check_file(path, options)


# --- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelRequest:
    """What `aigc label` writes. A generator gives producer and produce_id; a platform gives
    propagator and propagate_id (and user_declared when the uploader declared AIGC)."""

    on: dt.date
    producer: str | None = None
    produce_id: str | None = None
    label: str = "1"
    reserved_code1: str = ""
    propagator: str | None = None
    propagate_id: str | None = None
    reserved_code2: str = ""
    user_declared: bool = False
    explicit: bool = False
    explicit_text: str | None = None  # None: the modality's default wording
    position: str = "bottom-right"
    font: Path | None = None
    c2pa_cert: Path | None = None
    c2pa_key: Path | None = None


@dataclass(frozen=True, slots=True)
class LabelOutcome:
    path: Path
    format: str
    label: label_model.ImplicitLabel
    explicit: str | None
    signed: bool
    notes: tuple[str, ...]


def label_file(source: Path, target: Path, request: LabelRequest) -> LabelOutcome:
    """Write the labels onto `source`, the result to `target` (which may be `source`)."""
    fmt = _detect_or_fail(source)
    try:
        metadata = _read(source, fmt)
    except FormatError as err:
        raise AigcError(f"{source}: not a well-formed {fmt.name} file: {err}") from None
    label = _label_for(source, metadata, request)
    notes: list[str] = []
    if any(t.startswith(C2PA_TRACE) for t in metadata.traces) and request.c2pa_key is None:
        notes.append(
            "the file's C2PA manifest will no longer match it; sign again with "
            "--c2pa-cert/--c2pa-key"
        )
    try:
        return _write(source, target, fmt, metadata, label, request, notes)
    except OSError as err:
        where = err.filename or target
        raise AigcError(f"{where}: {err.strerror or err}") from None


def _write(
    source: Path,
    target: Path,
    fmt: Format,
    metadata: Metadata,
    label: label_model.ImplicitLabel,
    request: LabelRequest,
    notes: list[str],
) -> LabelOutcome:
    if target.is_dir():
        target = target / source.name
    with _staging(target) as stage:
        current = source
        record = None
        if request.explicit and metadata.explicit:
            notes.append(f"already labelled visibly ({metadata.explicit}); not drawn again")
        elif request.explicit:
            current, record = _draw_explicit(current, fmt, request, stage)
        labelled = stage("labelled" + source.suffix)
        try:
            with current.open("rb") as src, labelled.open("wb") as out:
                fmt.write(src, out, Update(label.to_json(), record))
        except FormatError as err:
            raise AigcError(f"{source}: not a well-formed {fmt.name} file: {err}") from None
        final = labelled
        if request.c2pa_key is not None and request.c2pa_cert is not None:
            final = _sign(labelled, label, request, stage)
        _commit(final, target)
    return LabelOutcome(target, fmt.name, label, record, request.c2pa_key is not None, tuple(notes))


def _detect_or_fail(path: Path) -> Format:
    try:
        fmt = _detect(path)
    except OSError as err:
        raise AigcError(f"{path}: {err.strerror}") from None
    if fmt is None:
        known = ", ".join(f.name for f in formats.all_formats())
        raise AigcError(f"{path}: no implicit-label carrier for this file type (known: {known})")
    return fmt


def _label_for(path: Path, metadata: Metadata, request: LabelRequest) -> label_model.ImplicitLabel:
    if request.propagator is not None:
        label = _propagated(path, metadata, request)
    else:
        if not request.producer or not request.produce_id:
            raise AigcError(f"{path}: a label needs --producer and --produce-id")
        label = label_model.ImplicitLabel.first_write(
            request.producer, request.produce_id, request.label, request.reserved_code1
        )
    # Refuse what this write adds; a platform passes on the producer's fields as they are.
    written = PROPAGATION_FIELDS if request.propagator is not None else set(label_model.FIELDS)
    refused = [p for p in label.problems() if p.severity == "error" and p.field in written]
    refused += [p for p in label_model.charset_problems(label) if p.field in written]
    if refused:
        raise AigcError(f"{path}: {refused[0].message}")
    return label


def _propagated(path: Path, metadata: Metadata, request: LabelRequest) -> label_model.ImplicitLabel:
    """A platform's label (LBL25 Art. 6): the producer's elements kept, its own propagation
    elements added, the Label value set by the case (declared, user declared, suspected)."""
    if not request.propagate_id:
        raise AigcError(f"{path}: --propagator needs --propagate-id")
    implicit = check.implicit_state(metadata)
    explicit, _ = check.explicit_state(None, metadata)
    action = check.platform_action(
        implicit, check.traces_of(metadata, None), explicit, request.user_declared
    )
    if action.label is None:
        raise AigcError(
            f"{path}: nothing declares or suggests AI generation (no label, no user declaration, "
            "no trace), so LBL25 Art. 6 asks for no propagation elements; pass --user-declared "
            "if the uploader declared it"
        )
    if implicit.label is not None:
        return implicit.label.propagated(
            request.propagator or "", request.propagate_id, action.label, request.reserved_code2
        )
    producer = request.producer or request.propagator or ""
    produce_id = request.produce_id or request.propagate_id
    return label_model.ImplicitLabel(
        action.label,
        producer,
        produce_id,
        request.reserved_code1,
        request.propagator or "",
        request.propagate_id,
        request.reserved_code2,
    )


Stage = Callable[[str], Path]


@contextlib.contextmanager
def _staging(target: Path) -> Iterator[Stage]:
    """A temporary folder beside the target (same file system, so the final rename is atomic),
    removed with whatever it holds when the work ends, however it ends."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".chinacomply-", dir=target.parent) as folder:
        yield lambda name: Path(folder) / name


def _commit(final: Path, target: Path) -> None:
    with final.open("rb") as fh:
        os.fsync(fh.fileno())
    if target.exists():
        os.chmod(final, target.stat().st_mode & 0o7777)
    os.replace(final, target)


def _draw_explicit(
    current: Path, fmt: Format, request: LabelRequest, stage: Stage
) -> tuple[Path, str]:
    """The explicit label for the content's modality, drawn into a staged copy."""
    modality = check.MODALITY.get(fmt.name)
    drawn = stage("explicit" + current.suffix)
    try:
        if modality == "image":
            from chinacomply.aigc.explicit import image

            with current.open("rb") as src, drawn.open("wb") as out:
                result = image.add_label(
                    src,
                    out,
                    request.explicit_text or image.DEFAULT_TEXT,
                    request.position,
                    request.on,
                    request.font,
                )
            return drawn, result.record()
        if modality == "text":
            from chinacomply.aigc.explicit import text

            with current.open(encoding="utf-8", newline="") as src:  # CRLF stays CRLF
                body = src.read()
            place = "suffix" if request.position.startswith("bottom") else "prefix"
            wording = request.explicit_text or text.DEFAULT_WORDING
            with drawn.open("w", encoding="utf-8", newline="") as out:
                out.write(text.add_label(body, request.on, place, wording))
            where = "end" if place == "suffix" else "start"
            return drawn, f"explicit text label {wording!r} at the {where} (GB 45438 §5.1)"
        if modality == "audio":
            from chinacomply.aigc.explicit import audio

            with current.open("rb") as src, drawn.open("wb") as out:
                record = audio.add_rhythm_label(src, out, fmt.name, request.on)
            return drawn, record
        if modality == "video":
            from chinacomply.aigc.explicit import image, video

            burned = video.add_label(
                current,
                drawn,
                request.explicit_text or image.DEFAULT_TEXT,
                request.position,
                on=request.on,
                font=request.font,
            )
            return drawn, burned.record()
    except (ValueError, RuntimeError) as err:
        raise AigcError(f"{current.name}: {err}") from None
    raise AigcError(f"{current.name}: no explicit label is defined for {fmt.name} files")


def _sign(
    labelled: Path, label: label_model.ImplicitLabel, request: LabelRequest, stage: Stage
) -> Path:
    """Sign after the TC260 label is written, so the signature covers it; the manifest records
    the label too (a `cn.tc260.aigc` assertion)."""
    from chinacomply.aigc import c2pa

    assert request.c2pa_cert is not None and request.c2pa_key is not None
    signed = stage("signed" + labelled.suffix)
    try:
        cert = request.c2pa_cert.read_bytes()
        key = request.c2pa_key.read_bytes()
    except OSError as err:
        raise AigcError(f"{err.filename}: {err.strerror}") from None
    try:
        c2pa.sign(labelled, signed, cert, key, tc260_label_json=label.to_json())
    except (c2pa.C2paError, c2pa.C2paUnavailable) as err:
        raise AigcError(f"C2PA signing failed: {err}") from None
    return signed


# --- uploads (the API and the dashboard) ------------------------------------------------------

MAX_UPLOAD = 200 * 1024 * 1024  # bytes
UPLOAD_CHUNK = 1024 * 1024
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


class UploadTooLargeError(AigcError):
    """An upload beyond MAX_UPLOAD bytes."""


def shown_name(filename: str | None) -> str:
    """The name the client gave, without any folders (never a server path)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name or "upload"


def check_upload(stream: BinaryIO, filename: str | None, options: CheckOptions) -> dict[str, Any]:
    """Check an uploaded file: copied in chunks to a temporary file that keeps its suffix
    (format detection looks at it), checked, deleted. The report names the upload, never the
    temporary path. Raises UploadTooLargeError past MAX_UPLOAD bytes."""
    name = shown_name(filename)
    suffix = Path(name).suffix
    with tempfile.TemporaryDirectory(prefix="chinacomply-upload-") as folder:
        temp = Path(folder) / ("upload" + (suffix if _SAFE_SUFFIX.fullmatch(suffix) else ""))
        copied = 0
        with temp.open("wb") as out:
            while chunk := stream.read(UPLOAD_CHUNK):
                copied += len(chunk)
                if copied > MAX_UPLOAD:
                    raise UploadTooLargeError(f"{name}: larger than {MAX_UPLOAD:,} bytes")
                out.write(chunk)
        result: dict[str, Any] = _renamed(check_file(temp, options).to_dict(), str(temp), name)
    result["path"] = name
    return result


def _renamed(value: Any, temp: str, name: str) -> Any:
    """`value` with the temporary path replaced by the upload's name, wherever it appears."""
    if isinstance(value, str):
        return value.replace(temp, name)
    if isinstance(value, list):
        return [_renamed(v, temp, name) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, temp, name) for k, v in value.items()}
    return value
