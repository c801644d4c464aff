"""Every supported source reads the same data the same way: encodings, delimiters, quoting,
nested JSON, typed Parquet, Excel sheets and SQL tables."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chinacomply.sources import discover
from chinacomply.sources.base import SourceError

ROWS = [
    ("张伟", "11010519491231002X", "13812345678"),
    ("李娜", "440305199003071234", "+86 139 0000 1111"),
]
HEADER = ("姓名", "身份证号", "手机号")


def _csv(path: Path, encoding: str, delimiter: str = ",") -> Path:
    lines = [delimiter.join(HEADER)] + [delimiter.join(r) for r in ROWS]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _first(path: Path | str) -> dict[str, list[str | None]]:
    (table,) = list(discover.open_tables([str(path)]))
    result: dict[str, list[str | None]] = table.sample(100).to_pydict()
    return result


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("utf8.csv", "utf-8", ","),
        ("bom.csv", "utf-8-sig", ","),
        ("gbk.csv", "gbk", ","),
        ("gb18030.csv", "gb18030", ","),
        ("tabs.tsv", "utf-8", "\t"),
        ("semicolon.csv", "utf-8", ";"),
        ("utf16.csv", "utf-16", ","),
    ],
)
def test_delimited_encodings_and_delimiters(
    tmp_path: Path, name: str, encoding: str, delimiter: str
) -> None:
    data = _first(_csv(tmp_path / name, encoding, delimiter))
    assert list(data) == list(HEADER)
    assert data["身份证号"] == [r[1] for r in ROWS]
    assert data["姓名"] == [r[0] for r in ROWS]


def test_quoted_newlines_duplicate_and_blank_headers(tmp_path: Path) -> None:
    path = tmp_path / "messy.csv"
    path.write_text('id,id,,note\n1,2,3,"two\nlines"\n4,5,6,plain\n', encoding="utf-8")
    data = _first(path)
    assert list(data) == ["id", "id_2", "column_3", "note"]
    assert data["note"] == ["two\nlines", "plain"]


def test_jsonl_nested_and_mixed_types(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    rows = [
        {"user": {"phone": 13812345678, "name": "张伟"}, "tags": ["a"]},
        {"user": {"phone": "13900001111", "name": "李娜"}, "extra": True},
    ]
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    data = _first(path)
    assert data["user.phone"] == ["13812345678", "13900001111"]
    assert data["extra"] == [None, "true"]


def test_parquet_typed_columns_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(
        pa.table(
            {"phone": pa.array([13812345678, None], pa.int64()), "score": pa.array([1.5, 2.0])}
        ),
        path,
    )
    data = _first(path)
    assert data["phone"] == ["13812345678", None]
    assert data["score"] == ["1.5", "2"]


def test_excel_sheets_are_tables(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(list(HEADER))
    for row in ROWS:
        sheet.append(list(row))
    book.create_sheet("空")
    book.save(path)
    tables = list(discover.open_tables([str(path)]))
    assert [t.name for t in tables] == ["book:客户", "book:空"]
    assert tables[0].sample(10).to_pydict()["手机号"] == [r[2] for r in ROWS]
    batch = next(iter(tables[0].batches(["身份证号"])))
    assert batch.column(0).to_pylist() == [r[1] for r in ROWS]


def test_sqlite_by_url_and_by_file(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE people (xm TEXT, sfzh TEXT, sjh INTEGER)")
    db.executemany("INSERT INTO people VALUES (?,?,?)", [(r[0], r[1], 13812345678) for r in ROWS])
    db.commit()
    db.close()
    by_file = _first(path)
    by_url = _first(f"sqlite:///{path}")
    assert by_file == by_url
    assert by_file["sjh"] == ["13812345678", "13812345678"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing.csv", None, "no such file or directory"),
        ("empty.csv", b"", "empty file"),
        ("binary.csv", b"\x00\x01\x02garbage\x00", "binary data"),
        ("ragged.csv", b"a,b\n1,2\n3,4,5\n", "Expected 2 columns, got 3"),
        ("bad.jsonl", b'{"a": 1}\n{"a": \n', "line 2: not valid JSON"),
        ("array.jsonl", b"[1, 2]\n", "line 1: expected a JSON object"),
        ("bad.parquet", b"PAR1 not really", "not a readable Parquet file"),
        ("bad.xlsx", b"PK not a workbook", "not a readable Excel workbook"),
        ("bad.sqlite", b"hello", "not an SQLite database"),
        ("notes.pdf", b"%PDF", "unsupported file type .pdf"),
    ],
)
def test_bad_input_names_the_file_and_the_problem(
    tmp_path: Path, name: str, content: bytes | None, problem: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError) as err:
        for table in discover.open_tables([str(path)]):
            table.sample(10)
            for _ in table.batches(table.columns()[:1]):
                pass
    assert str(path) in str(err.value)
    assert problem in str(err.value)


def test_parse_errors_never_quote_the_row(tmp_path: Path) -> None:
    """Arrow quotes the offending row in its message; that row may hold PI."""
    path = tmp_path / "leak.csv"
    path.write_text("a,b\n1,2\n11010519491231002X,13812345678,extra\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        for table in discover.open_tables([str(path)]):
            for _ in table.batches(["a"]):
                pass
    assert "11010519491231002X" not in str(err.value)
    assert "13812345678" not in str(err.value)


def test_folders_are_walked_in_order_skipping_hidden(tmp_path: Path) -> None:
    _csv(tmp_path / "b.csv", "utf-8")
    (tmp_path / "sub").mkdir()
    _csv(tmp_path / "sub" / "a.csv", "utf-8")
    (tmp_path / ".hidden").mkdir()
    _csv(tmp_path / ".hidden" / "c.csv", "utf-8")
    (tmp_path / "readme.md").write_text("not data")
    assert [t.name for t in discover.open_tables([str(tmp_path)])] == ["b", "a"]
