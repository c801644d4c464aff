"""C2PA manifests, through the optional `c2pa` extra (c2pa-python, the bindings of c2pa-rs).

A C2PA manifest is the international counterpart of the TC260 implicit label: a signed claim,
bound to the file by a hash, that can declare the content AI-generated (an IPTC digital source
type such as `trainedAlgorithmicMedia`). `aigc check` reads it as a trace and compares it with
the TC260 label; `aigc label --c2pa` signs one after writing the label.

The package is optional, so it is imported on first use: without it `manifest_state` reports
"unavailable" and `sign` raises `C2paUnavailable`.

Offline, always. Every read and every signing runs under `OFFLINE_SETTINGS`:
- `verify.remote_manifest_fetch: false` — a file may point to a manifest on a server (XMP
  `dcterms:provenance`); c2pa-rs would fetch it by default. We report the file unreadable instead.
- `verify.ocsp_fetch: false` — no certificate-revocation look-up at the OCSP responder a
  certificate names.
- `core.allowed_network_hosts: []` — belt and braces: c2pa-rs's HTTP layer refuses every host,
  so a request some future setting starts is refused rather than sent.
- `builder.certificate_status_fetch: null` — no OCSP response fetched to staple when signing.
- `builder.auto_timestamp_assertion.enabled: false` — no timestamp-authority call when signing;
  `sign` takes no TSA URL either.
- `verify.verify_after_reading`, `verify.verify_after_sign`, `verify.verify_trust: true` — the
  validation is the point: a read reports hash and signature results, a signing that would not
  validate fails, and a signer is checked against the trust anchors the caller gives.
- `trust.trust_anchors` — the caller's anchors, and only them: "trusted" means "chains to a
  certificate you named", not to some list shipped with the library.
- `builder.thumbnail.enabled: false` — no re-encoded preview of the content inside the manifest.
The default EKU list of c2pa-rs (`trust.trust_config`) is kept: it is what C2PA requires of a
signing certificate.

Library messages are not passed on verbatim: some quote bytes of the file ("expected [..], got
[..]"), so a reason keeps only the library's words before any quoted data.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chinacomply import __version__
from chinacomply.aigc import label as label_model

UNAVAILABLE_MESSAGE = "C2PA needs the optional extra: pip install 'chinacomply[c2pa]'"
STATES = ("none", "valid", "trusted", "invalid", "unavailable", "unreadable")
TC260_ASSERTION = "cn.tc260.aigc"
IPTC_SOURCE_TYPES = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED_ALGORITHMIC_MEDIA = IPTC_SOURCE_TYPES + "trainedAlgorithmicMedia"
# The IPTC digital source types that mean the content was generated or synthesised by AI, in
# whole or in part (the last segment of the type's URI).
AI_SOURCE_TYPES = frozenset(
    {
        "trainedAlgorithmicMedia",
        "compositeWithTrainedAlgorithmicMedia",
        "algorithmicMedia",
        "compositeSynthetic",
    }
)
ACTIONS_ASSERTIONS = ("c2pa.actions", "c2pa.actions.v2")
ALGORITHMS = ("es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519")
TC260_LABEL_VALUES = frozenset(label_model.LABEL_VALUES)

OFFLINE_SETTINGS: dict[str, Any] = {
    "version": 1,
    "verify": {
        "verify_after_reading": True,
        "verify_after_sign": True,
        "verify_trust": True,
        "remote_manifest_fetch": False,
        "ocsp_fetch": False,
    },
    "core": {"allowed_network_hosts": []},
    "builder": {
        "certificate_status_fetch": None,
        "auto_timestamp_assertion": {"enabled": False},
        "thumbnail": {"enabled": False},
    },
}


class C2paUnavailable(RuntimeError):  # noqa: N818 (the name callers were promised)
    """The optional `c2pa` package is not installed (or its native library does not load)."""


class C2paError(ValueError):
    """A signing request that cannot be carried out: a bad key or certificate, an unsupported
    file type or algorithm. The message says what is wrong in one line, never a key's bytes."""


@dataclass(frozen=True, slots=True)
class ManifestState:
    """What a file's C2PA manifest says, and whether it holds up.

    state: none | valid | trusted | invalid | unavailable | unreadable;
    reason: why a file is unreadable, a manifest too broken to decode, or the extra unavailable;
    claim_generator: the software that made the claim ("name/version");
    signer: the signing certificate's common name (and organisation);
    ai_generated: True when an action of the active manifest has an AI digital source type,
    False when actions give only other source types, None when no action gives one;
    digital_source_types: every source type the actions give, in order;
    codes: the validation failure codes (e.g. assertion.dataHash.mismatch,
    signingCredential.untrusted);
    tc260_label: the TC260 label JSON recorded in a `cn.tc260.aigc` assertion, if any.
    """

    state: str
    reason: str | None = None
    claim_generator: str | None = None
    signer: str | None = None
    ai_generated: bool | None = None
    digital_source_types: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    tc260_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "reason": self.reason,
            "claim_generator": self.claim_generator,
            "signer": self.signer,
            "ai_generated": self.ai_generated,
            "digital_source_types": list(self.digital_source_types),
            "codes": list(self.codes),
            "tc260_label": self.tc260_label,
        }


def library() -> Any:
    """The c2pa module, imported on first use; raises C2paUnavailable when it is missing."""
    try:
        return importlib.import_module("c2pa")
    except (ImportError, OSError) as err:  # OSError: the wheel's native library did not load
        raise C2paUnavailable(UNAVAILABLE_MESSAGE) from err


def available() -> bool:
    """Is the optional extra installed? Lets a CLI say so before it starts work."""
    try:
        library()
    except C2paUnavailable:
        return False
    return True


def manifest_state(path: Path, trust_anchors_pem: str | None = None) -> ManifestState:
    """Read and validate the C2PA manifest of `path`, offline.

    `trust_anchors_pem` is a PEM bundle of root certificates; a valid manifest whose signing
    certificate chains to one of them is "trusted", otherwise at most "valid". A manifest that
    fails validation, or is too broken to decode, is "invalid" (codes, or a reason); a file the
    library cannot parse (garbage, truncated, an unsupported type, a manifest kept on a server)
    is "unreadable" with the reason. A c2pa exception never escapes. Raises OSError when the
    file cannot be opened and C2paError when the trust anchors are not PEM certificates."""
    try:
        lib = library()
    except C2paUnavailable:
        return ManifestState("unavailable", reason=UNAVAILABLE_MESSAGE)
    with _context(lib, trust_anchors_pem) as context, path.open("rb") as stream:
        try:
            store = _read_store(lib, stream, _known_format(lib, path, "Reader"), context)
        except lib.C2paError as err:
            return _failed_read(str(err))
        except (ValueError, TypeError, KeyError, OSError) as err:  # the binding's own checks
            return ManifestState("unreadable", reason=f"the C2PA reader failed ({_kind(err)})")
    if store is None:
        return ManifestState("none")
    return _state_of(store, trusted_possible=trust_anchors_pem is not None)


def agrees(state: ManifestState, tc260_label_value: str | None) -> bool | None:
    """Do the C2PA manifest and the TC260 label tell the same story about AI generation?

    The label speaks when its `Label` value is "1", "2" or "3" (is, may be, suspected to be
    AI-generated); any other value, or no label, is silence. The manifest speaks when
    `ai_generated` is True; False (e.g. digitalCapture) or None (no source type) is silence.
    They agree (True) when both speak or both are silent, and disagree (False) when one speaks
    and the other does not: a label without an AI manifest, or an AI manifest without a label.
    None when there is nothing to compare: no manifest was read (none, unreadable, unavailable).
    An invalid manifest is still compared; its invalidity is reported on its own."""
    if state.state not in ("valid", "trusted", "invalid"):
        return None
    label_speaks = tc260_label_value in TC260_LABEL_VALUES
    manifest_speaks = state.ai_generated is True
    return label_speaks == manifest_speaks


def sign(
    src: Path,
    out: Path,
    cert_chain_pem: bytes,
    private_key_pem: bytes,
    *,
    algorithm: str = "es256",
    claim_generator: str = "chinacomply",
    tsa_url: None = None,
    tc260_label_json: str | None = None,
) -> None:
    """Sign `src` into `out` with a manifest declaring the content AI-generated: a
    `c2pa.actions` assertion with `c2pa.created` and the IPTC digital source type
    trainedAlgorithmicMedia, and, when `tc260_label_json` is given, a `cn.tc260.aigc` assertion
    recording the TC260 label (so the label itself is signed).

    Write the TC260 implicit label BEFORE calling sign: the manifest's hash covers every byte
    of the file outside the manifest, so any metadata written afterwards breaks it and the
    manifest reads as invalid (assertion.dataHash.mismatch).

    `cert_chain_pem` is the signing certificate then its issuing CAs; `claim_generator` is
    "name" or "name/version". No timestamp authority is used (offline), so `tsa_url` must stay
    None. `out` may be `src`: the signed file is written beside it and renamed into place.
    Raises C2paError for a bad key or certificate, an unsupported file type or algorithm,
    C2paUnavailable without the extra, and OSError when `src` cannot be read or `out` written."""
    if tsa_url is not None:
        raise C2paError("a timestamp authority needs the network; chinacomply signs offline")
    lib = library()
    alg = _algorithm(algorithm)
    definition = _definition(claim_generator, tc260_label_json)
    fmt = _known_format(lib, src, "Builder")
    if fmt is None:
        raise C2paError(f"C2PA cannot sign {_suffix_name(src)} files")
    with _context(lib, None) as context:
        signer = _signer(lib, alg, cert_chain_pem, private_key_pem)
        with signer:
            _sign_to(lib, context, signer, definition, fmt, src, out)


# --- reading ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _context(lib: Any, trust_anchors_pem: str | None) -> Iterator[Any]:
    """A c2pa Context with the offline settings (and the caller's anchors), closed after use."""
    settings: dict[str, Any] = dict(OFFLINE_SETTINGS)
    if trust_anchors_pem is not None:
        if "-----BEGIN CERTIFICATE-----" not in trust_anchors_pem:
            raise C2paError("the trust anchors are not PEM certificates")
        settings["trust"] = {"trust_anchors": trust_anchors_pem}
    try:
        context = lib.Context.from_dict(settings)
    except lib.C2paError as err:
        if trust_anchors_pem is not None:
            raise C2paError("the trust anchors are not PEM X.509 certificates") from None
        raise C2paError(f"the c2pa library refused its settings ({_kind(err)})") from None
    try:
        yield context
    finally:
        context.close()


def _read_store(lib: Any, stream: Any, fmt: str | None, context: Any) -> dict[str, Any] | None:
    """The manifest store as JSON, None when the file has no manifest."""
    reader = lib.Reader.try_create(fmt, stream, context=context)
    if reader is None:
        return None
    with reader:
        store = json.loads(reader.json())
    return store if isinstance(store, dict) else {}


def _state_of(store: dict[str, Any], *, trusted_possible: bool) -> ManifestState:
    codes = _codes(store)
    active = _active_manifest(store)
    verdict = store.get("validation_state")
    if verdict == "Invalid" or active is None or (verdict is None and _breaking(codes)):
        state = "invalid"
    elif verdict == "Trusted" and trusted_possible:
        state = "trusted"
    else:
        state = "valid"
    if active is None:
        return ManifestState(state, codes=codes or ("claim.missing",))
    source_types = _source_types(active)
    return ManifestState(
        state,
        claim_generator=_claim_generator(active),
        signer=_signer_name(active),
        ai_generated=_ai_generated(source_types),
        digital_source_types=source_types,
        codes=codes,
        tc260_label=_tc260_label(active),
    )


def _codes(store: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for status in _list(store.get("validation_status")):
        code = status.get("code") if isinstance(status, dict) else None
        if isinstance(code, str) and code not in found:
            found.append(code)
    return tuple(found)


def _breaking(codes: tuple[str, ...]) -> bool:
    """Failures other than an untrusted signer (which leaves a manifest valid)."""
    return any(code != "signingCredential.untrusted" for code in codes)


def _active_manifest(store: dict[str, Any]) -> dict[str, Any] | None:
    manifests = store.get("manifests")
    label = store.get("active_manifest")
    if not isinstance(manifests, dict) or not isinstance(label, str):
        return None
    active = manifests.get(label)
    return active if isinstance(active, dict) else None


def _assertions(manifest: dict[str, Any], labels: tuple[str, ...]) -> list[dict[str, Any]]:
    """The data of the assertions with these labels; a repeated assertion is labelled
    `c2pa.actions.v2__1`, so the instance suffix is ignored."""
    found = []
    for assertion in _list(manifest.get("assertions")):
        if not isinstance(assertion, dict):
            continue
        name = str(assertion.get("label", "")).split("__", 1)[0]
        data = assertion.get("data")
        if name in labels and isinstance(data, dict):
            found.append(data)
    return found


def _source_types(manifest: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for data in _assertions(manifest, ACTIONS_ASSERTIONS):
        for action in _list(data.get("actions")):
            source = action.get("digitalSourceType") if isinstance(action, dict) else None
            if isinstance(source, str) and source and source not in found:
                found.append(source)
    return tuple(found)


def _ai_generated(source_types: tuple[str, ...]) -> bool | None:
    if not source_types:
        return None
    return any(source.rstrip("/").rsplit("/", 1)[-1] in AI_SOURCE_TYPES for source in source_types)


def _claim_generator(manifest: dict[str, Any]) -> str | None:
    for info in _list(manifest.get("claim_generator_info")):
        if isinstance(info, dict) and isinstance(info.get("name"), str):
            version = info.get("version")
            return f"{info['name']}/{version}" if isinstance(version, str) else str(info["name"])
    legacy = manifest.get("claim_generator")  # claims of version 1
    return legacy if isinstance(legacy, str) else None


def _signer_name(manifest: dict[str, Any]) -> str | None:
    info = manifest.get("signature_info")
    if not isinstance(info, dict):
        return None
    name, organisation = info.get("common_name"), info.get("issuer")
    parts = [p for p in (name, organisation) if isinstance(p, str) and p]
    if len(parts) == 2 and parts[0] != parts[1]:
        return f"{parts[0]} ({parts[1]})"
    return parts[0] if parts else None


def _tc260_label(manifest: dict[str, Any]) -> str | None:
    for data in _assertions(manifest, (TC260_ASSERTION,)):
        value = data.get(label_model.KEY)
        if isinstance(value, str):  # the label's JSON, as the file's own carrier holds it
            return value
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# Error kinds of c2pa-rs raised once the file has been parsed and a manifest store found in it:
# the manifest is there but broken, so it is invalid rather than unreadable.
BROKEN_MANIFEST = frozenset({"Decoding", "Verify", "Signature", "AssertionNotFound", "Assertion"})


def _failed_read(message: str) -> ManifestState:
    """A library error as a state: a broken manifest is invalid, a file the library cannot take
    apart (or a manifest it would have to fetch) is unreadable."""
    kind = _message_kind(message)
    if kind == "Remote":
        reason = "the manifest is kept on a server, which chinacomply does not fetch (offline)"
        return ManifestState("unreadable", reason=reason)
    if kind == "NotSupported":
        return ManifestState("unreadable", reason="C2PA does not support this file type")
    if kind in BROKEN_MANIFEST:
        reason = f"the C2PA manifest is malformed: {_safe_detail(message)}"
        return ManifestState("invalid", reason=reason)
    return ManifestState("unreadable", reason=f"the file cannot be parsed: {_safe_detail(message)}")


# --- signing ---------------------------------------------------------------------------------


def _algorithm(algorithm: str) -> str:
    alg = algorithm.strip().lower()
    if alg not in ALGORITHMS:
        raise C2paError(
            f"unsupported signing algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}"
        )
    return alg


def _definition(claim_generator: str, tc260_label_json: str | None) -> dict[str, Any]:
    """The manifest definition: who made the claim, and that the content was created by AI."""
    name, _, version = claim_generator.strip().partition("/")
    if not name:
        raise C2paError("claim_generator is empty; give a name such as 'chinacomply'")
    if not version and name == "chinacomply":
        version = __version__
    info: dict[str, str] = {"name": name}
    if version:
        info["version"] = version
    action = {"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA}
    assertions: list[dict[str, Any]] = [{"label": "c2pa.actions", "data": {"actions": [action]}}]
    if tc260_label_json is not None:
        try:
            parsed = label_model.parse(tc260_label_json)
        except label_model.LabelError as err:
            raise C2paError(f"the TC260 label to record is not valid: {err}") from None
        assertions.append({"label": TC260_ASSERTION, "data": {label_model.KEY: parsed.to_json()}})
    return {"claim_generator_info": [info], "assertions": assertions}


def _signer(lib: Any, alg: str, cert_chain_pem: bytes, private_key_pem: bytes) -> Any:
    if b"-----BEGIN CERTIFICATE-----" not in cert_chain_pem:
        raise C2paError("the certificate chain holds no PEM certificate (-----BEGIN CERTIFICATE)")
    if b"-----BEGIN" not in private_key_pem or b"PRIVATE KEY-----" not in private_key_pem:
        raise C2paError("the private key is not a PEM private key (-----BEGIN PRIVATE KEY)")
    try:
        info = lib.C2paSignerInfo(alg, cert_chain_pem, private_key_pem, None)
        return lib.Signer.from_info(info)
    except (lib.C2paError, ValueError, TypeError):
        raise C2paError(
            f"the private key is not a usable {alg.upper()} key (PKCS#8 PEM, unencrypted)"
        ) from None


def _sign_to(
    lib: Any, context: Any, signer: Any, definition: dict[str, Any], fmt: str, src: Path, out: Path
) -> None:
    """Sign into a temporary file beside `out`, then rename it into place: a failed signing
    leaves no half-written file, and `out` may be `src`."""
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with src.open("rb") as source, os.fdopen(handle, "w+b") as target:
            builder = lib.Builder(definition, context=context)
            with builder:
                builder.sign(signer, fmt, source, target)
        shutil.copymode(src, temporary)  # mkstemp makes it private; keep the source's mode
        os.replace(temporary, out)
    except lib.C2paError as err:
        raise C2paError(_signing_failure(str(err), src)) from None
    except (ValueError, TypeError) as err:  # the binding's own argument checks
        raise C2paError(f"C2PA signing failed ({_kind(err)})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


# What a signing failure means, by the words c2pa-rs uses; checked in order.
SIGNING_FAILURES = (
    ("does not match", "the private key does not belong to the signing certificate"),
    (
        "self-signed",
        "the signing certificate is self-signed; C2PA needs one issued by a CA (chain: "
        "signing certificate first, then its CA)",
    ),
    ("not valid at time", "the signing certificate is expired or not yet valid"),
    (
        "does not contain signing certificate",
        "the certificate chain holds no readable X.509 certificate",
    ),
    ("parsing certificate", "the certificate chain holds no readable X.509 certificate"),
    (
        "certificate",
        "the signing certificate lacks what C2PA requires (digitalSignature key usage, an "
        "allowed extended key usage such as emailProtection, not a CA, an authority key id)",
    ),
)


def _signing_failure(message: str, src: Path) -> str:
    kind = _message_kind(message)
    if kind == "NotSupported":
        return f"C2PA cannot sign {_suffix_name(src)} files"
    lowered = message.lower()
    for words, meaning in SIGNING_FAILURES:
        if words in lowered:
            return meaning
    if kind in ("Io", "Other", "Decoding") or "could not be parsed" in lowered:
        return f"the file is not a well-formed {_suffix_name(src)} file"
    return f"C2PA signing failed ({kind or 'unknown error'})"


# --- shared ----------------------------------------------------------------------------------


def _known_format(lib: Any, path: Path, side: str) -> str | None:
    """The file's extension when the library knows it (a hint for reading, the format for
    signing); None lets the reader detect the type from the bytes."""
    suffix = path.suffix.lower().lstrip(".")
    try:
        known = getattr(lib, side).get_supported_mime_types()
    except lib.C2paError:
        return None
    return suffix if suffix and suffix in known else None


def _suffix_name(path: Path) -> str:
    return path.suffix.lower() or "extension-less"


def _message_kind(message: str) -> str | None:
    """The error kind c2pa-rs puts before its message ("NotSupported: type is unsupported")."""
    match = re.match(r"([A-Za-z]+):", message)
    return match.group(1) if match else None


# A library message is cut at the first sign of quoted data (bytes of the file, a URL), and
# the words that introduced it are dropped.
QUOTED_DATA = re.compile(r"""[\[\]{}"'`<>(]|[a-z]+://""")
DANGLING = re.compile(r"(?:[\s:,;.]|\b(?:expected|got|but|from|url|at)\b)+$")


def _safe_detail(message: str) -> str:
    text = message
    if _message_kind(text):
        text = text.split(":", 1)[1]
    cut = QUOTED_DATA.search(text)
    if cut:
        text = text[: cut.start()]
    text = DANGLING.sub("", " ".join(text.split()))
    return text[:120] or "no detail given"


def _kind(err: BaseException) -> str:
    return type(err).__name__.lstrip("_")
