"""`chinacomply aigc check` and `aigc label` as a generator's pipeline and a platform's upload
check use them: JSON findings with citations, exit codes, one-line errors, atomic writes."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from ..conftest import EXAMPLES, REPO
from .pki import make_pki

PRODUCER = "001191440300708461136T1XGW3"
PLATFORM = "001191110102MACQD9K64028705"
ON = "2026-03-01"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chinacomply", "aigc", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def check_json(*args: str) -> list[dict[str, Any]]:
    result = run("check", *args, "--format", "json", "--as-of", ON)
    assert result.returncode == 0, result.stderr
    files: list[dict[str, Any]] = json.loads(result.stdout)["files"]
    return files


@pytest.fixture
def media(tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    shutil.copytree(EXAMPLES / "media", folder)
    buf = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 80, 40)).save(buf, "JPEG")
    (folder / "photo.jpg").write_bytes(buf.getvalue())
    return folder


def test_an_unlabelled_folder_reports_every_file_with_citations(media: Path) -> None:
    files = {Path(f["path"]).name: f for f in check_json(str(media))}
    assert set(files) == {"photo.jpg", "poster.png", "story.md"}
    for report in files.values():
        assert report["implicit"]["state"] == "absent"
        missing = next(f for f in report["findings"] if f["code"] == "implicit.missing")
        assert (missing["severity"], missing["instrument"], missing["article"]) == (
            "error",
            "LBL25",
            "5",
        )
    assert files["story.md"]["explicit"]["state"] == "absent"
    explicit = next(f for f in files["story.md"]["findings"] if f["code"] == "explicit.missing")
    assert (explicit["instrument"], explicit["article"]) == ("LBL25", "4(1)")
    assert {"instrument": "DS22", "article": "17(1)"} in explicit["also"]
    assert {"instrument": "GB45438", "article": "5.1"} in explicit["also"]
    assert files["poster.png"]["explicit"]["state"] == "unknown"


def test_fail_on_gates_an_upload_pipeline(media: Path) -> None:
    assert run("check", str(media), "--fail-on", "error", "--as-of", ON).returncode == 1
    poster = media / "poster.png"
    labelled = run("label", str(poster), "--producer", PRODUCER, "--produce-id", "p-1")
    assert labelled.returncode == 0, labelled.stderr
    assert run("check", str(poster), "--fail-on", "error", "--as-of", ON).returncode == 0


def test_label_then_check_round_trips_the_seven_fields(media: Path) -> None:
    poster = media / "poster.png"
    out = media / "poster.labelled.png"
    result = run(
        "label",
        str(poster),
        "--producer",
        PRODUCER,
        "--produce-id",
        "poster-1",
        "--explicit",
        "-o",
        str(out),
        "--as-of",
        ON,
    )
    assert result.returncode == 0, result.stderr
    assert poster.read_bytes() == (EXAMPLES / "media/poster.png").read_bytes(), "input untouched"
    (report,) = check_json(str(out))
    assert report["implicit"]["state"] == "present"
    assert report["implicit"]["label"] == {
        "Label": "1",
        "ContentProducer": PRODUCER,
        "ProduceID": "poster-1",
        "ReservedCode1": "",
        "ContentPropagator": PRODUCER,
        "PropagateID": "poster-1",
        "ReservedCode2": "",
    }
    assert report["explicit"]["state"] == "present"
    assert "AI生成" in report["explicit"]["detail"]
    assert report["findings"] == []


def test_labelling_twice_keeps_one_label(media: Path) -> None:
    poster = media / "poster.png"
    for produce_id in ("first", "second"):
        result = run("label", str(poster), "--producer", PRODUCER, "--produce-id", produce_id)
        assert result.returncode == 0, result.stderr
    (report,) = check_json(str(poster))
    assert report["implicit"]["state"] == "present"
    assert report["implicit"]["label"]["ProduceID"] == "second"


def test_text_gets_front_matter_and_a_visible_prefix(media: Path) -> None:
    story = media / "story.md"
    result = run(
        "label",
        str(story),
        "--producer",
        PRODUCER,
        "--produce-id",
        "s-1",
        "--explicit",
        "--as-of",
        ON,
    )
    assert result.returncode == 0, result.stderr
    text = story.read_text("utf-8")
    assert text.startswith("---\n") and "西湖晨景" in text
    (report,) = check_json(str(story))
    assert report["implicit"]["state"] == "present"
    assert report["explicit"]["state"] == "present"
    assert report["findings"] == []


def test_a_folder_needs_unique_ids_and_mirrors_into_an_output_folder(
    media: Path, tmp_path: Path
) -> None:
    same = run("label", str(media), "--producer", PRODUCER, "--produce-id", "fixed")
    assert same.returncode == 2 and "{stem}" in same.stderr
    out = tmp_path / "out"
    result = run(
        "label", str(media), "--producer", PRODUCER, "--produce-id", "b-{stem}", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    ids = {Path(f["path"]).name: f["implicit"]["label"]["ProduceID"] for f in check_json(str(out))}
    assert ids == {"photo.jpg": "b-photo", "poster.png": "b-poster", "story.md": "b-story"}


def test_platform_flow_declared_then_propagated(media: Path) -> None:
    poster = media / "poster.png"
    run("label", str(poster), "--producer", PRODUCER, "--produce-id", "gen-1")
    (report,) = check_json(str(poster), "--as", "platform")
    assert report["platform"]["case"] == "declared"
    assert (report["platform"]["instrument"], report["platform"]["article"]) == ("LBL25", "6(1)")
    result = run("label", str(poster), "--propagator", PLATFORM, "--propagate-id", "post-77")
    assert result.returncode == 0, result.stderr
    label = check_json(str(poster))[0]["implicit"]["label"]
    assert (label["ContentProducer"], label["ProduceID"]) == (PRODUCER, "gen-1")
    assert (label["ContentPropagator"], label["PropagateID"]) == (PLATFORM, "post-77")


def test_platform_user_declared_upload_gets_label_two(media: Path) -> None:
    photo = media / "photo.jpg"
    (report,) = check_json(str(photo), "--as", "platform", "--user-declared")
    assert (report["platform"]["case"], report["platform"]["label"]) == ("user_declared", "2")
    refused = run("label", str(photo), "--propagator", PLATFORM, "--propagate-id", "u-1")
    assert refused.returncode == 2 and "Art. 6" in refused.stderr
    result = run(
        "label", str(photo), "--propagator", PLATFORM, "--propagate-id", "u-1", "--user-declared"
    )
    assert result.returncode == 0, result.stderr
    assert check_json(str(photo))[0]["implicit"]["label"]["Label"] == "2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--producer", "001191440300708461136X1XGW3", "--produce-id", "x"], "check"),
        (["--producer", PRODUCER, "--produce-id", "has space"], "Annex E j)"),
        (["--produce-id", "x"], "--producer"),
    ],
)
def test_bad_labels_are_refused_and_the_file_is_untouched(
    media: Path, args: list[str], message: str
) -> None:
    poster = media / "poster.png"
    before = poster.read_bytes()
    result = run("label", str(poster), *args)
    assert result.returncode == 2
    assert result.stderr.startswith("chinacomply: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert poster.read_bytes() == before
    assert sorted(p.name for p in media.iterdir()) == ["photo.jpg", "poster.png", "story.md"]


def test_corrupt_and_unknown_files_are_findings_not_crashes(media: Path) -> None:
    (media / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 7)
    (media / "notes.bin").write_bytes(b"\x00\x01\x02")
    files = {Path(f["path"]).name: f for f in check_json(str(media))}
    assert files["broken.png"]["findings"][0]["code"] == "file.unreadable"
    assert files["notes.bin"]["findings"][0]["code"] == "file.unsupported"
    refused = run("label", str(media / "broken.png"), "--producer", PRODUCER, "--produce-id", "x")
    assert refused.returncode == 2 and "broken.png" in refused.stderr


def test_a_missing_path_is_a_one_line_error() -> None:
    result = run("check", "no/such/file.png")
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "chinacomply: error: no/such/file.png: no such file or directory"
    )


def test_table_output_names_the_state_and_the_article(media: Path) -> None:
    result = run("check", str(media / "poster.png"), "--as-of", ON)
    assert result.returncode == 0
    assert "implicit: absent" in result.stdout and "LBL25 Art. 5" in result.stdout


def test_label_and_sign_with_c2pa_keeps_both_valid(media: Path, tmp_path: Path) -> None:
    pki = make_pki()
    chain, key, anchors = tmp_path / "chain.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    chain.write_bytes(pki.chain)
    key.write_bytes(pki.key)
    anchors.write_text(pki.ca)
    poster = media / "poster.png"
    result = run(
        "label",
        str(poster),
        "--producer",
        PRODUCER,
        "--produce-id",
        "signed-1",
        "--c2pa-cert",
        str(chain),
        "--c2pa-key",
        str(key),
    )
    assert result.returncode == 0, result.stderr
    assert "C2PA signed" in result.stdout
    (report,) = check_json(str(poster), "--trust", str(anchors))
    assert report["c2pa"]["state"] == "trusted"
    assert report["c2pa"]["ai_generated"] is True and report["c2pa_agrees"] is True
    assert report["implicit"]["label"]["ProduceID"] == "signed-1"
    relabel = run("label", str(poster), "--producer", PRODUCER, "--produce-id", "later")
    assert relabel.returncode == 0 and "no longer match" in relabel.stderr
    (after,) = check_json(str(poster), "--trust", str(anchors))
    assert after["c2pa"]["state"] == "invalid"
    assert "c2pa.invalid" in {f["code"] for f in after["findings"]}


def test_a_writer_failing_half_way_leaves_the_file_and_folder_as_they_were(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The carrier has written part of the output when it fails: the target is untouched and
    the staging folder is gone."""
    from chinacomply.aigc.formats import png
    from chinacomply.aigc.formats.base import FormatError
    from chinacomply.services import aigc as aigc_service

    def half_then_fail(stream: Any, out: Any, update: Any) -> None:
        out.write(stream.read(100))
        raise FormatError("chunk IDAT at offset 100: simulated failure")

    monkeypatch.setattr(png.FORMAT, "write", half_then_fail)
    poster = media / "poster.png"
    before = poster.read_bytes()
    request = aigc_service.LabelRequest(on=dt.date(2026, 3, 1), producer=PRODUCER, produce_id="x")
    with pytest.raises(aigc_service.AigcError, match="simulated failure"):
        aigc_service.label_file(poster, poster, request)
    assert poster.read_bytes() == before
    assert sorted(p.name for p in media.iterdir()) == ["photo.jpg", "poster.png", "story.md"]


def _wav(path: Path) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x10\x00" * 8000)


def _mp4(path: Path) -> None:
    import imageio_ffmpeg

    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=160x90:rate=10",
            "-c:v",
            "mpeg4",
            str(path),
        ],
        check=True,
    )


@pytest.mark.parametrize(
    ("name", "make", "record"),
    [
        ("voice.wav", _wav, "short-long-short-short"),
        ("clip.mp4", _mp4, "AI生成"),
    ],
)
def test_audio_and_video_get_their_explicit_label_and_its_record(
    tmp_path: Path, name: str, make: Any, record: str
) -> None:
    path = tmp_path / name
    make(path)
    before = path.stat().st_size
    result = run(
        "label",
        str(path),
        "--producer",
        PRODUCER,
        "--produce-id",
        "m-1",
        "--explicit",
        "--as-of",
        ON,
    )
    assert result.returncode == 0, result.stderr
    (report,) = check_json(str(path))
    assert report["implicit"]["state"] == "present"
    assert report["explicit"]["state"] == "present" and record in report["explicit"]["detail"]
    assert report["findings"] == []
    if name.endswith(".wav"):
        assert path.stat().st_size > before, "the rhythm is added at the start"


def test_explicit_labels_are_not_drawn_twice(tmp_path: Path) -> None:
    voice = tmp_path / "voice.wav"
    _wav(voice)
    args = ("label", str(voice), "--producer", PRODUCER, "--explicit", "--as-of", ON)
    assert run(*args, "--produce-id", "a").returncode == 0
    once = voice.stat().st_size
    again = run(*args, "--produce-id", "b")
    assert again.returncode == 0 and "not drawn again" in again.stderr
    assert voice.stat().st_size == once
    assert check_json(str(voice))[0]["implicit"]["label"]["ProduceID"] == "b"


def test_a_file_named_twice_is_labelled_once_and_outputs_never_collide(
    media: Path, tmp_path: Path
) -> None:
    result = run(
        "label",
        str(media),
        str(media / "poster.png"),
        "--producer",
        PRODUCER,
        "--produce-id",
        "x-{n}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("poster.png") == 1
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(media / "poster.png", other / "poster.png")
    clash = run(
        "label",
        str(media / "poster.png"),
        str(other / "poster.png"),
        "--producer",
        PRODUCER,
        "--produce-id",
        "y-{n}",
        "-o",
        str(tmp_path / "out"),
    )
    assert clash.returncode == 2 and "would both be written" in clash.stderr
    assert not (tmp_path / "out").exists()


def test_output_into_an_existing_folder_and_unusable_inputs_are_one_line_errors(
    media: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "into"
    folder.mkdir()
    poster = str(media / "poster.png")
    ok = run("label", poster, "--producer", PRODUCER, "--produce-id", "z", "-o", str(folder))
    assert ok.returncode == 0, ok.stderr
    assert check_json(str(folder / "poster.png"))[0]["implicit"]["state"] == "present"
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    bad_font = tmp_path / "font.ttf"
    bad_font.write_bytes(b"not a font")
    for result in (
        run("check", poster, "--trust", str(junk)),
        run(
            "label",
            poster,
            "--producer",
            PRODUCER,
            "--produce-id",
            "z",
            "--explicit",
            "--font",
            str(bad_font),
        ),
    ):
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("chinacomply: error: ")
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_batch_that_fails_part_way_lists_what_it_wrote(media: Path) -> None:
    (media / "zz-broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 7)
    result = run("label", str(media), "--producer", PRODUCER, "--produce-id", "b-{stem}")
    assert result.returncode == 2 and "zz-broken.png" in result.stderr
    assert "photo.jpg: jpeg label" in result.stdout and "poster.png: png label" in result.stdout


def test_text_label_takes_the_wording_and_the_end_position(media: Path) -> None:
    story = media / "story.md"
    result = run(
        "label",
        str(story),
        "--producer",
        PRODUCER,
        "--produce-id",
        "t",
        "--explicit",
        "--text",
        "以上内容由AI合成",
        "--position",
        "bottom",
        "--as-of",
        ON,
    )
    assert result.returncode == 0, result.stderr
    assert story.read_text("utf-8").rstrip().endswith("以上内容由AI合成")


def test_fail_on_warning_trips_on_a_text_without_a_visible_label(media: Path) -> None:
    story = str(media / "story.md")
    assert run("label", story, "--producer", PRODUCER, "--produce-id", "w").returncode == 0
    assert run("check", story, "--fail-on", "error", "--as-of", ON).returncode == 0
    assert run("check", story, "--fail-on", "warning", "--as-of", ON).returncode == 1
