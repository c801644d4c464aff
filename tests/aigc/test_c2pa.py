"""C2PA manifests through the real c2pa-python library: signing, the six states a reading can
have, agreement with the TC260 label, and that nothing ever goes to the network.

The PKI is made here with `cryptography`: a self-signed CA and an ES256 end-entity certificate
with what c2pa-rs demands of a signer (digitalSignature key usage, the emailProtection EKU, not a
CA, an authority key identifier; without any of these c2pa-rs refuses to sign).
"""

from __future__ import annotations

import io
import json
import socket
import sys
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import c2pa as c2pa_library
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from chinacomply import __version__
from chinacomply.aigc import c2pa
from chinacomply.aigc import label as label_model
from chinacomply.aigc.formats.base import Update
from chinacomply.aigc.formats.png import FORMAT as PNG

from .pki import Pki, make_pki, private_pem

LABEL = label_model.ImplicitLabel.first_write("001191440300708461136T1XGW3", "img-0001")
DIGITAL_CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def _image(tmp_path: Path, fmt: str) -> Path:
    path = tmp_path / ("plain.png" if fmt == "PNG" else "plain.jpg")
    Image.new("RGB", (24, 16), (30, 120, 200)).save(path, fmt)
    return path


def _signed(tmp_path: Path, pki: Pki, fmt: str = "PNG") -> Path:
    src = _image(tmp_path, fmt)
    out = src.with_name("signed" + src.suffix)
    c2pa.sign(src, out, pki.chain, pki.key)
    return out


def _labelled(src: Path, out: Path) -> None:
    """Write the TC260 label with the PNG carrier, as `aigc label` does."""
    with src.open("rb") as stream, out.open("wb") as target:
        PNG.write(stream, target, Update(LABEL.to_json()))


def _png_labels(path: Path) -> list[str]:
    with path.open("rb") as stream:
        return [carried.value for carried in PNG.read(stream).labels]


def _pixels(path: Path) -> bytes:
    with Image.open(path) as image:
        return image.convert("RGB").tobytes()


def _sign_with_library(src: Path, out: Path, pki: Pki, source_type: str) -> None:
    """A manifest made by another tool with the library itself: here, a camera's."""
    action = {"action": "c2pa.created", "digitalSourceType": source_type}
    definition = {
        "claim_generator_info": [{"name": "camera-app", "version": "2.0"}],
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [action]}}],
    }
    with c2pa_library.Context.from_dict(c2pa.OFFLINE_SETTINGS) as context:
        signer = c2pa_library.Signer.from_info(
            c2pa_library.C2paSignerInfo("es256", pki.chain, pki.key, None)
        )
        with src.open("rb") as source, out.open("w+b") as target:
            c2pa_library.Builder(definition, context=context).sign(signer, "png", source, target)


# --- states ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_an_unsigned_file_has_no_manifest_and_nothing_to_compare(tmp_path: Path, fmt: str) -> None:
    state = c2pa.manifest_state(_image(tmp_path, fmt))
    assert state.state == "none"
    assert state.ai_generated is None and state.codes == ()
    assert c2pa.agrees(state, "1") is None
    assert c2pa.agrees(state, None) is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_signed_file_is_valid_and_declares_ai_generation(
    tmp_path: Path, pki: Pki, fmt: str
) -> None:
    src = _image(tmp_path, fmt)
    signed = _signed(tmp_path, pki, fmt)
    state = c2pa.manifest_state(signed)
    assert state.state == "valid"
    assert state.ai_generated is True
    assert state.digital_source_types == (c2pa.TRAINED_ALGORITHMIC_MEDIA,)
    assert state.claim_generator == "chinacomply/" + __version__
    assert state.signer == "Example Signer (Example Generation Service)"
    # No trust list given: the signature holds, the signer is simply not known to be trusted.
    assert state.codes == ("signingCredential.untrusted",)
    assert _pixels(signed) == _pixels(src)
    assert json.loads(json.dumps(state.to_dict()))["state"] == "valid"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_the_signing_ca_as_trust_anchor_makes_the_manifest_trusted(
    tmp_path: Path, pki: Pki, fmt: str
) -> None:
    signed = _signed(tmp_path, pki, fmt)
    state = c2pa.manifest_state(signed, trust_anchors_pem=pki.ca)
    assert state.state == "trusted"
    assert state.codes == ()
    assert state.ai_generated is True


def test_another_ca_as_trust_anchor_leaves_the_manifest_only_valid(
    tmp_path: Path, pki: Pki
) -> None:
    signed = _signed(tmp_path, pki)
    state = c2pa.manifest_state(signed, trust_anchors_pem=make_pki().ca)
    assert state.state == "valid"
    assert "signingCredential.untrusted" in state.codes


def _flip_image_byte(data: bytes, fmt: str) -> bytes:
    """Change one byte of the compressed image data: inside the IDAT zlib stream (its chunk CRC
    left stale, as a careless editor would; c2pa-rs does not check it), or just past the JPEG
    start-of-scan header."""
    if fmt == "PNG":
        at = data.rindex(b"IDAT") + 8
    else:
        sos = data.rindex(b"\xff\xda")
        at = sos + 2 + int.from_bytes(data[sos + 2 : sos + 4], "big") + 1
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_changed_image_byte_makes_the_manifest_invalid(
    tmp_path: Path, pki: Pki, fmt: str
) -> None:
    signed = _signed(tmp_path, pki, fmt)
    signed.write_bytes(_flip_image_byte(signed.read_bytes(), fmt))
    state = c2pa.manifest_state(signed, trust_anchors_pem=pki.ca)
    assert state.state == "invalid"
    assert "assertion.dataHash.mismatch" in state.codes
    assert state.ai_generated is True  # what the broken claim says is still reported


def test_labelling_after_signing_breaks_the_manifest(tmp_path: Path, pki: Pki) -> None:
    signed = _signed(tmp_path, pki)
    labelled = tmp_path / "signed-then-labelled.png"
    _labelled(signed, labelled)
    assert _png_labels(labelled) == [LABEL.to_json()]
    state = c2pa.manifest_state(labelled, trust_anchors_pem=pki.ca)
    assert state.state == "invalid"
    assert "assertion.dataHash.mismatch" in state.codes


def test_labelling_before_signing_keeps_both_label_and_manifest(tmp_path: Path, pki: Pki) -> None:
    labelled = tmp_path / "labelled.png"
    _labelled(_image(tmp_path, "PNG"), labelled)
    signed = tmp_path / "labelled-then-signed.png"
    c2pa.sign(labelled, signed, pki.chain, pki.key, tc260_label_json=LABEL.to_json())
    assert _png_labels(signed) == [LABEL.to_json()]
    state = c2pa.manifest_state(signed, trust_anchors_pem=pki.ca)
    assert state.state == "trusted"
    assert state.tc260_label == LABEL.to_json()  # the label is recorded inside the signed claim
    assert c2pa.agrees(state, LABEL.label) is True


def test_signing_in_place_replaces_the_file(tmp_path: Path, pki: Pki) -> None:
    path = _image(tmp_path, "PNG")
    mode = path.stat().st_mode
    c2pa.sign(path, path, pki.chain, pki.key)
    assert c2pa.manifest_state(path).state == "valid"
    assert path.stat().st_mode == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.png"]  # no temporary left


# --- agreement -------------------------------------------------------------------------------


def test_a_camera_manifest_disagrees_with_an_ai_label(tmp_path: Path, pki: Pki) -> None:
    photo = tmp_path / "photo.png"
    _sign_with_library(_image(tmp_path, "PNG"), photo, pki, DIGITAL_CAPTURE)
    state = c2pa.manifest_state(photo)
    assert state.state == "valid"
    assert state.ai_generated is False
    assert state.digital_source_types == (DIGITAL_CAPTURE,)
    assert state.claim_generator == "camera-app/2.0"
    assert c2pa.agrees(state, "1") is False
    assert c2pa.agrees(state, None) is True  # both silent on AI


@pytest.mark.parametrize(
    ("ai_generated", "label", "expected"),
    [
        (True, "1", True),
        (True, "2", True),
        (True, "3", True),
        (True, None, False),  # an AI manifest without the TC260 label
        (False, "1", False),
        (None, "1", False),  # the label speaks, the manifest says nothing
        (False, None, True),
        (None, None, True),
        (None, "0", True),  # not a Label value that declares anything
    ],
)
def test_agreement_rule(ai_generated: bool | None, label: str | None, expected: bool) -> None:
    for state in ("valid", "trusted", "invalid"):
        assert c2pa.agrees(c2pa.ManifestState(state, ai_generated=ai_generated), label) is expected
    for state in ("none", "unreadable", "unavailable"):
        assert c2pa.agrees(c2pa.ManifestState(state, ai_generated=ai_generated), label) is None


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.png", b"\x89PNG but not really" * 20),
        ("garbage.bin", bytes(range(256)) * 4),
        ("empty.jpg", b""),
        ("notes.txt", "人工智能生成".encode()),
    ],
)
def test_garbage_is_unreadable_with_a_reason(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    state = c2pa.manifest_state(path)
    assert state.state == "unreadable"
    assert state.reason
    assert "[" not in state.reason  # the library's quoted file bytes are not passed on
    assert c2pa.agrees(state, "1") is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_signed_file_is_unreadable_or_invalid(
    tmp_path: Path, pki: Pki, fmt: str, keep: float
) -> None:
    signed = _signed(tmp_path, pki, fmt)
    data = signed.read_bytes()
    signed.write_bytes(data[: int(len(data) * keep)])
    state = c2pa.manifest_state(signed)
    assert state.state in ("unreadable", "invalid")
    assert state.reason or state.codes


@pytest.fixture(scope="module")
def signed_png(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> bytes:
    return _signed(tmp_path_factory.mktemp("fuzz"), pki).read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6)
)
def test_a_mutated_signed_file_always_gets_a_state(
    tmp_path_factory: pytest.TempPathFactory, signed_png: bytes, edits: list[tuple[float, int]]
) -> None:
    data = bytearray(signed_png)
    for where, value in edits:
        data[int(where * len(data))] = value
    path = tmp_path_factory.mktemp("mutant") / "mutant.png"
    path.write_bytes(bytes(data))
    state = c2pa.manifest_state(path)
    assert state.state in c2pa.STATES
    if not edits:
        assert state.state == "valid"


def test_a_bad_private_key_is_a_clear_error(tmp_path: Path, pki: Pki) -> None:
    src = _image(tmp_path, "PNG")
    bogus = b"-----BEGIN PRIVATE KEY-----\nTUlJQmFkS2V5\n-----END PRIVATE KEY-----\n"
    with pytest.raises(c2pa.C2paError, match="private key is not a usable ES256 key") as err:
        c2pa.sign(src, tmp_path / "out.png", pki.chain, bogus)
    assert "TUlJ" not in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(c2pa.C2paError, match="not a PEM private key"):
        c2pa.sign(src, tmp_path / "out.png", pki.chain, b"hunter2")
    assert not (tmp_path / "out.png").exists()


def test_a_key_of_another_certificate_is_a_clear_error(tmp_path: Path, pki: Pki) -> None:
    other = private_pem(ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(c2pa.C2paError, match="does not belong to the signing certificate"):
        c2pa.sign(_image(tmp_path, "PNG"), tmp_path / "out.png", pki.chain, other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.png"]


def test_bad_certificates_are_clear_errors(tmp_path: Path, pki: Pki) -> None:
    src = _image(tmp_path, "PNG")
    with pytest.raises(c2pa.C2paError, match="no PEM certificate"):
        c2pa.sign(src, tmp_path / "out.png", b"not a certificate", pki.key)
    with pytest.raises(c2pa.C2paError, match="self-signed"):
        c2pa.sign(src, tmp_path / "out.png", pki.ca.encode(), pki.key)


def test_unsupported_algorithms_and_formats_are_clear_errors(tmp_path: Path, pki: Pki) -> None:
    src = _image(tmp_path, "PNG")
    with pytest.raises(c2pa.C2paError, match="unsupported signing algorithm 'md5'"):
        c2pa.sign(src, tmp_path / "out.png", pki.chain, pki.key, algorithm="md5")
    with pytest.raises(c2pa.C2paError, match="not a usable PS256 key"):  # EC key, RSA algorithm
        c2pa.sign(src, tmp_path / "out.png", pki.chain, pki.key, algorithm="ps256")
    text = tmp_path / "notes.txt"
    text.write_text("AI生成", "utf-8")
    with pytest.raises(c2pa.C2paError, match=r"C2PA cannot sign \.txt files"):
        c2pa.sign(text, tmp_path / "notes-signed.txt", pki.chain, pki.key)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png at all")
    with pytest.raises(c2pa.C2paError, match=r"not a well-formed \.png file"):
        c2pa.sign(broken, tmp_path / "out.png", pki.chain, pki.key)
    with pytest.raises(c2pa.C2paError, match="TC260 label to record is not valid"):
        c2pa.sign(src, tmp_path / "out.png", pki.chain, pki.key, tc260_label_json="{}x")
    with pytest.raises(c2pa.C2paError, match="timestamp authority"):
        c2pa.sign(src, tmp_path / "out.png", pki.chain, pki.key, tsa_url="http://tsa.example")  # type: ignore[arg-type]


def test_trust_anchors_that_are_not_certificates_are_a_clear_error(
    tmp_path: Path, pki: Pki
) -> None:
    signed = _signed(tmp_path, pki)
    with pytest.raises(c2pa.C2paError, match="trust anchors are not PEM"):
        c2pa.manifest_state(signed, trust_anchors_pem="my-ca")


# --- offline ---------------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A local HTTP endpoint that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.05)
    connections: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                connections.append(conn.recv(200))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/manifest.c2pa", connections
    stop.set()
    thread.join()
    server.close()


def _remote_manifest_file(tmp_path: Path, pki: Pki, url: str) -> Path:
    """A file whose manifest is kept at `url` (XMP dcterms:provenance), as cloud services do."""
    action = {"action": "c2pa.created", "digitalSourceType": DIGITAL_CAPTURE}
    definition: dict[str, Any] = {
        "claim_generator_info": [{"name": "cloud-service"}],
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [action]}}],
    }
    builder = c2pa_library.Builder(definition)
    builder.set_no_embed()
    builder.set_remote_url(url)
    signer = c2pa_library.Signer.from_info(
        c2pa_library.C2paSignerInfo("es256", pki.chain, pki.key, None)
    )
    remote = tmp_path / "remote.png"
    with _image(tmp_path, "PNG").open("rb") as source, remote.open("w+b") as target:
        builder.sign(signer, "png", source, target)
    assert url.encode() in remote.read_bytes()
    return remote


def test_a_remote_manifest_is_never_fetched(
    tmp_path: Path, pki: Pki, listener: tuple[str, list[bytes]]
) -> None:
    url, connections = listener
    state = c2pa.manifest_state(_remote_manifest_file(tmp_path, pki, url), pki.ca)
    assert state.state == "unreadable"
    assert state.reason is not None and "does not fetch" in state.reason
    assert url not in state.reason
    assert connections == []


def test_the_library_default_would_have_fetched_it(
    tmp_path: Path, pki: Pki, listener: tuple[str, list[bytes]]
) -> None:
    """The control for the test above: the listener does see a fetch the settings allow."""
    url, connections = listener
    remote = _remote_manifest_file(tmp_path, pki, url)
    with pytest.raises(c2pa_library.C2paError), c2pa_library.Context() as default:
        c2pa_library.Reader("png", io.BytesIO(remote.read_bytes()), context=default)
    assert len(connections) == 1 and connections[0].startswith(b"GET /manifest.c2pa")


# --- without the extra -----------------------------------------------------------------------


def test_without_the_extra_reading_is_unavailable_and_signing_refuses(
    tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _image(tmp_path, "PNG")
    monkeypatch.setitem(sys.modules, "c2pa", None)
    assert not c2pa.available()
    state = c2pa.manifest_state(src)
    assert state.state == "unavailable"
    assert state.reason == "C2PA needs the optional extra: pip install 'chinacomply[c2pa]'"
    assert c2pa.agrees(state, "1") is None
    with pytest.raises(c2pa.C2paUnavailable, match=r"pip install 'chinacomply\[c2pa\]'"):
        c2pa.sign(src, tmp_path / "out.png", pki.chain, pki.key)
    with pytest.raises(c2pa.C2paUnavailable):
        c2pa.library()


def test_crc_of_png_chunks_written_by_the_carrier_is_intact(tmp_path: Path, pki: Pki) -> None:
    """The carrier and c2pa-rs each write chunks; every CRC in the result must still hold, or
    other readers reject the file."""
    labelled = tmp_path / "labelled.png"
    _labelled(_image(tmp_path, "PNG"), labelled)
    signed = tmp_path / "signed.png"
    c2pa.sign(labelled, signed, pki.chain, pki.key)
    data = signed.read_bytes()
    at, kinds = 8, []
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        crc = int.from_bytes(data[at + 8 + length : at + 12 + length], "big")
        assert zlib.crc32(kind + body) == crc, kind
        kinds.append(kind)
        at += 12 + length
    assert b"caBX" in kinds and b"iTXt" in kinds and kinds[-1] == b"IEND"
