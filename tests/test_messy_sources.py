"""Tables as real exports arrive: GBK files whose sniffed head ends inside a character, UTF-16,
report titles above the header, legacy .xls workbooks, multi-sheet .xlsx, and folders where one
file is broken. Every fixture is built here (seeded) or by tests/fixtures/make_xls.py."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from chinacomply.scan.recognizers import cn_resident_id
from chinacomply.services import scan as scan_service
from chinacomply.services.options import ScanOptions
from chinacomply.sources import discover
from chinacomply.sources.base import SourceError
from chinacomply.sources.delimited import HEAD_BYTES, DelimitedFile

from .conftest import REPO

FIXTURES = Path(__file__).with_name("fixtures")
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
HEADER = ("姓名", "身份证号", "手机号")


def _resident_id(rng: random.Random) -> str:
    first17 = (
        f"110105{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}"
        f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    )
    return first17 + cn_resident_id.check_char(first17)


def _people(seed: int, n: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    return [
        (
            rng.choice(SURNAMES) + rng.choice(GIVEN),
            _resident_id(rng),
            f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
        )
        for _ in range(n)
    ]


def _csv_text(rows: list[tuple[str, str, str]], delimiter: str = ",") -> str:
    return "\n".join(delimiter.join(r) for r in [HEADER, *rows]) + "\n"


def _run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHINACOMPLY_HOME": str(home)}
    env.pop("CHINACOMPLY_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "chinacomply", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


# --- 1. GBK whose sniffed head ends inside a double-byte character --------------------------


def test_gbk_csv_cut_inside_a_character_at_the_head_is_read(tmp_path: Path) -> None:
    """The head is the first 256 KiB; here byte 262144 is the second byte of a hanzi, which
    detectors read as an invalid byte. The file must still be read as GB18030, every row."""
    people = _people(11, 9000)
    data = _csv_text(people).encode("gbk")
    # Pad the first name until the cut lands inside a character (one byte shifts it by one).
    for pad in range(4):
        padded = people[:]
        padded[0] = (people[0][0] + "某" * pad, *people[0][1:])
        data = _csv_text(padded).encode("gbk")
        try:
            data[:HEAD_BYTES].decode("gbk")
        except UnicodeDecodeError as err:
            if err.start == HEAD_BYTES - 1:
                people = padded
                break
    else:
        pytest.fail("could not place the head's end inside a character")
    assert len(data) > HEAD_BYTES
    path = tmp_path / "客户导出.csv"
    path.write_bytes(data)

    table = DelimitedFile(path)
    assert table.layout[0] == "gb18030"
    assert table.columns() == list(HEADER)
    names = [v for b in table.batches(["姓名"]) for v in b.column(0).to_pylist()]
    assert names == [p[0] for p in people]
    report = scan_service.scan_table(table, ScanOptions())
    assert report.rows == len(people)
    assert report.subject_key == "身份证号"
    assert report.individuals == len({p[1] for p in people})


# --- 2. UTF-16 with a BOM -------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_csv_with_bom(tmp_path: Path, codec: str, bom: bytes) -> None:
    """Excel's "Unicode text" export is UTF-16 LE with a BOM; BE appears from some Java tools.
    Large enough that Arrow reads it in several blocks."""
    people = _people(12, 30_000)
    path = tmp_path / "utf16.csv"
    path.write_bytes(bom + _csv_text(people).encode(codec))
    (table,) = discover.open_tables([str(path)])
    assert table.columns() == list(HEADER)
    ids = [v for b in table.batches(["身份证号"]) for v in b.column(0).to_pylist()]
    assert ids == [p[1] for p in people]
    report = scan_service.scan_table(table, ScanOptions())
    assert report.individuals == len({p[1] for p in people})


# --- 3. A report title above the header -----------------------------------------------------


@pytest.mark.parametrize(
    ("title", "delimiter"),
    [
        ("客户信息导出 2026-03-01\n", ","),  # a bare title line
        ("客户信息导出 2026-03-01,,\n", ","),  # Excel pads the row to the table's width
        ("客户信息导出 2026-03-01\n\n", ","),  # a title, then a blank row
        ("客户信息导出 2026-03-01\n", "\t"),
        ('"客户信息导出, 2026-03-01";;\n', ";"),
    ],
)
def test_csv_title_row_above_the_header_is_skipped(
    tmp_path: Path, title: str, delimiter: str
) -> None:
    people = _people(13, 50)
    path = tmp_path / "report.csv"
    path.write_bytes((title + _csv_text(people, delimiter)).encode("utf-8-sig"))
    (table,) = discover.open_tables([str(path)])
    assert table.columns() == list(HEADER)
    data = table.sample(100).to_pydict()
    assert data["身份证号"] == [p[1] for p in people]
    report = scan_service.scan_table(table, ScanOptions())
    assert report.rows == len(people)
    assert report.subject_key == "身份证号"


def test_one_column_csv_keeps_its_first_row_as_header(tmp_path: Path) -> None:
    """A table of one column has one filled cell in every row: nothing is a title there."""
    path = tmp_path / "phones.csv"
    path.write_text("手机号\n13812345678\n13900001111\n", encoding="utf-8")
    (table,) = discover.open_tables([str(path)])
    assert table.columns() == ["手机号"]
    assert table.sample(10).to_pydict()["手机号"] == ["13812345678", "13900001111"]


def test_xlsx_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    people = _people(14, 40)
    path = tmp_path / "report.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(["客户信息导出 2026-03-01"])
    sheet.merge_cells("A1:C1")
    sheet.append(list(HEADER))
    for person in people:
        sheet.append(list(person))
    book.save(path)
    (table,) = discover.open_tables([str(path)])
    assert table.columns() == list(HEADER)
    assert table.sample(100).to_pydict()["手机号"] == [p[2] for p in people]
    report = scan_service.scan_table(table, ScanOptions())
    assert report.rows == len(people)
    assert report.individuals == len({p[1] for p in people})


# --- 4. Legacy .xls -------------------------------------------------------------------------


def test_xls_every_sheet_is_a_table() -> None:
    pytest.importorskip("xlrd")
    path = FIXTURES / "roster.xls"
    tables = list(discover.open_tables([str(path)]))
    assert [t.name for t in tables] == ["roster:员工", "roster:部门"]
    staff, departments = tables
    assert staff.columns() == ["姓名", "身份证号", "手机号", "入职日期"]  # title row skipped
    data = staff.sample(10).to_pydict()
    assert data["手机号"] == ["13812345678", "13900001111", "13511112222"]  # numbers as text
    assert data["入职日期"] == ["2020-03-07", "2021-07-01", "2019-11-30"]  # dates, not day counts
    assert departments.sample(10).to_pydict() == {"部门": ["财务部", "人事部"], "人数": ["12", "5"]}
    assert discover.open_source(staff.source).columns() == staff.columns()
    report = scan_service.scan_table(staff, ScanOptions())
    assert report.rows == 3
    assert {c.name: c.type for c in report.columns}["手机号"] == "phone_number"


def test_xls_without_the_driver_is_one_line_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "xlrd", None)  # import xlrd now raises ImportError
    with pytest.raises(SourceError) as err:
        list(discover.open_tables([str(FIXTURES / "roster.xls")]))
    assert "chinacomply[xls]" in str(err.value)
    script = (
        "import sys; sys.modules['xlrd'] = None; sys.argv = ['chinacomply', 'scan', sys.argv[1]];"
        "from chinacomply.cli.main import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(FIXTURES / "roster.xls")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "roster.xls" in line and "pip install 'chinacomply[xls]'" in line


# --- 5. Every sheet of an .xlsx -------------------------------------------------------------


def test_every_xlsx_sheet_is_scanned(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    first.title = "华北"
    second = book.create_sheet("华南")
    for sheet, seed in ((first, 15), (second, 16)):
        sheet.append(list(HEADER))
        for person in _people(seed, 30):
            sheet.append(list(person))
    book.save(path)
    reports = list(scan_service.scan_targets([str(path)], ScanOptions()))
    assert [r.name for r in reports] == ["book:华北", "book:华南"]
    assert [r.individuals for r in reports] == [30, 30]
    assert all(r.subject_key == "身份证号" for r in reports)


# --- 6. One bad file in a folder ------------------------------------------------------------


def _messy_folder(root: Path) -> tuple[Path, list[str], list[str]]:
    """A folder with two good tables and three bad files; (folder, good names, bad files)."""
    openpyxl = pytest.importorskip("openpyxl")
    folder = root / "exports"
    folder.mkdir()
    (folder / "a_customers.csv").write_text(_csv_text(_people(17, 40)), encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(list(HEADER))
    for person in _people(18, 25):
        book.active.append(list(person))
    book.save(folder / "b_staff.xlsx")
    (folder / "c_corrupt.xlsx").write_bytes(b"PK\x03\x04" + random.Random(19).randbytes(2000))
    (folder / "d_junk.csv").write_bytes(random.Random(20).randbytes(4000))
    # Readable head, then a row that breaks the table: the failure comes mid-scan.
    ragged = _csv_text(_people(21, 30)) + "11010519491231002X,13812345678,张伟,extra\n"
    (folder / "e_ragged.csv").write_text(ragged, encoding="utf-8")
    good = ["a_customers", "b_staff:Sheet"]
    bad = ["c_corrupt.xlsx", "d_junk.csv", "e_ragged.csv"]
    return folder, good, bad


def _assert_one_line_per_bad_file(stderr: str, bad: list[str]) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == len(bad), stderr
    for line, name in zip(lines, bad, strict=True):
        assert name in line and line.startswith("chinacomply: error: ")
    assert "Traceback" not in stderr
    for raw in ("11010519491231002X", "13812345678", "张伟"):
        assert raw not in stderr


def test_scan_reports_the_bad_file_and_scans_the_rest(tmp_path: Path) -> None:
    folder, good, bad = _messy_folder(tmp_path)
    result = _run("scan", str(folder), "--format", "json", "--no-progress", home=tmp_path)
    assert result.returncode == 2
    tables = json.loads(result.stdout)["tables"]
    assert [t["name"] for t in tables] == good
    assert [t["individuals"] for t in tables] == [40, 25]
    _assert_one_line_per_bad_file(result.stderr, bad)

    table_format = _run("scan", str(folder), "--no-progress", home=tmp_path)
    assert table_format.returncode == 2
    assert "a_customers" in table_format.stdout and "b_staff" in table_format.stdout
    _assert_one_line_per_bad_file(table_format.stderr, bad)


def test_scan_service_hands_each_failure_to_on_error(tmp_path: Path) -> None:
    folder, good, bad = _messy_folder(tmp_path)
    errors: list[SourceError] = []
    reports = list(scan_service.scan_targets([str(folder)], ScanOptions(), on_error=errors.append))
    assert [r.name for r in reports] == good
    assert [Path(e.where.split(":")[0]).name for e in errors] == bad
    with pytest.raises(SourceError):  # without on_error the first bad file still raises
        list(scan_service.scan_targets([str(folder)], ScanOptions()))


def test_inventory_add_stores_the_good_tables_and_reports_the_bad(tmp_path: Path) -> None:
    folder, _, bad = _messy_folder(tmp_path)
    db = tmp_path / "inventory.db"
    added = _run("inventory", "add", str(folder), "--db", str(db), home=tmp_path)
    assert added.returncode == 2
    stored = [line for line in added.stdout.splitlines() if line.startswith("dataset ")]
    assert len(stored) == 2
    _assert_one_line_per_bad_file(added.stderr, bad)
    listing = _run("inventory", "list", "--db", str(db), home=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "a_customers" in listing.stdout and "b_staff" in listing.stdout
    for name in bad:  # nothing half-written for a file that failed mid-scan
        assert name not in listing.stdout
