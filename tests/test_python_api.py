"""The Python API of `import chinacomply`: every public name works (twice), `chinacomply.scan`
stays the function whatever is imported, the import loads no engine, each function gives what
its command prints, and the examples of docs/python-api.md run."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import chinacomply
from chinacomply.cli.main import cli
from chinacomply.services import options

from .conftest import EXAMPLES, REPO

DOC = REPO / "docs" / "python-api.md"
TICKET = (EXAMPLES / "ticket.txt").read_text("utf-8")
FACTS = EXAMPLES / "transfer.yaml"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """Code in a fresh interpreter, where no test has imported anything yet."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )


def test_public_api_is_listed_once() -> None:
    assert chinacomply.__all__ == sorted(set(chinacomply.__all__))
    assert set(chinacomply.__all__) == {
        "ColumnReport",
        "Decision",
        "FactsError",
        "SourceError",
        "Span",
        "TableReport",
        "UnknownProfileError",
        "__version__",
        "assess",
        "scan",
        "scan_text",
    }
    for name in chinacomply.__all__:
        assert getattr(chinacomply, name) is not None


# One call per public name; each is made twice and must give the same answer both times (the
# first `scan` once left the name bound to the subpackage, so a second call failed).
def _column() -> Any:
    return chinacomply.ColumnReport("手机号", "phone_number", False, 1.0, 3, 3, ("contact",), "")


CALLS: dict[str, Callable[[], Any]] = {
    "scan": lambda: [r.to_dict() for r in chinacomply.scan(EXAMPLES / "customers.csv")],
    "scan_text": lambda: [s.to_dict() for s in chinacomply.scan_text(TICKET)],
    "assess": lambda: chinacomply.assess(FACTS).to_dict(),
    "Span": lambda: chinacomply.Span(0, 11, "phone_number", 0.9, "138****5678").to_dict(),
    "ColumnReport": lambda: _column().to_dict(),
    "TableReport": lambda: chinacomply.TableReport(
        "t.csv", "t", 3, (_column(),), "手机号", 3, "pipl"
    ).to_dict(),
    "Decision": lambda: chinacomply.Decision(**vars_of(chinacomply.assess(FACTS))).to_dict(),
    "SourceError": lambda: str(chinacomply.SourceError("t.csv", "not UTF-8 text")),
    "FactsError": lambda: str(chinacomply.FactsError("facts: as_of: expected a date")),
    "UnknownProfileError": lambda: str(chinacomply.UnknownProfileError("unknown profile")),
    "__version__": lambda: str(chinacomply.__version__),
}


def vars_of(decision: Any) -> dict[str, Any]:
    return {name: getattr(decision, name) for name in type(decision).__dataclass_fields__}


def test_every_public_name_has_a_call() -> None:
    assert set(CALLS) == set(chinacomply.__all__)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_public_name_works_twice(name: str) -> None:
    first = CALLS[name]()
    second = CALLS[name]()
    assert first == second
    assert callable(chinacomply.scan) and callable(chinacomply.scan_text)


def test_version_is_the_packaged_one() -> None:
    pyproject = (REPO / "pyproject.toml").read_text("utf-8")
    assert f'version = "{chinacomply.__version__}"' in pyproject


# Every module of the `chinacomply.scan` subpackage, then every other module of chinacomply,
# imported one by one in a fresh interpreter (where a first import is what rebinds a name);
# modules whose optional extra is not installed are skipped.
_EVERY_IMPORT = """
import importlib, pkgutil, sys
import chinacomply
from chinacomply import api_python
scan_pkg = sys.modules["chinacomply.scan"]
names = sorted(m.name for m in pkgutil.walk_packages(scan_pkg.__path__, "chinacomply.scan."))
names += sorted(m.name for m in pkgutil.walk_packages(chinacomply.__path__, "chinacomply."))
done = 0
for name in names:
    if name.endswith("__main__") or ".migrations" in name:  # run a program when imported
        continue
    try:
        importlib.import_module(name)
    except ImportError as err:
        if (err.name or "").startswith("chinacomply"):
            raise
        continue
    assert chinacomply.scan is api_python.scan, name
    assert getattr(chinacomply, "scan_text") is api_python.scan_text, name
    done += 1
exec("import chinacomply.scan.text")
exec("import chinacomply.scan.registry, chinacomply.scan.recognizers")
assert chinacomply.scan is api_python.scan
assert len(chinacomply.scan("examples/customers.csv")) == 1
assert len(chinacomply.scan("examples/customers.csv")) == 1
print(done)
"""


def test_scan_stays_the_function_after_any_submodule_import() -> None:
    result = _python(_EVERY_IMPORT)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 30  # the walk really imported the package


@pytest.mark.parametrize(
    "first",
    [
        "import chinacomply.scan.text",
        "from chinacomply.scan import registry",
        "from chinacomply.scan.recognizers import email",
        "import chinacomply.services.scan",
        "import chinacomply.cli.main",
    ],
)
def test_scan_is_the_function_whatever_is_imported_first(first: str) -> None:
    code = f"{first}\nimport chinacomply\nassert callable(chinacomply.scan), chinacomply.scan"
    result = _python(code)
    assert result.returncode == 0, result.stderr


def test_import_loads_no_engine() -> None:
    """The CLI starts fast because Arrow and pydantic load when a command runs; so does the API."""
    code = (
        "import sys, chinacomply\n"
        "heavy = {'pyarrow', 'pydantic', 'sqlalchemy', 'openpyxl', 'fastapi'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_facts_error_is_the_one_assess_raises() -> None:
    from chinacomply.rules.facts import FactsError

    assert chinacomply.FactsError is FactsError
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = chinacomply.nothing  # type: ignore[attr-defined]


# The API gives what the command prints.
def _cli(*args: str) -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_scan_is_scan_format_json() -> None:
    shown = json.loads(_cli("scan", str(EXAMPLES), "--format", "json"))["tables"]
    assert [r.to_dict() for r in chinacomply.scan(str(EXAMPLES))] == shown


def test_scan_takes_paths_lists_sample_and_profile() -> None:
    one = chinacomply.scan(EXAMPLES / "patients_gbk.csv", sample=50, profile="gb35273")
    listed = chinacomply.scan([EXAMPLES / "customers.csv", str(EXAMPLES / "patients_gbk.csv")])
    assert [r.name for r in listed] == ["customers", "patients_gbk"]
    assert one[0].profile == "gb35273" and one[0].individuals == listed[1].individuals
    assert chinacomply.scan([]) == []


def test_scan_defaults_are_the_commands() -> None:
    import inspect

    params = inspect.signature(chinacomply.scan).parameters
    assert params["sample"].default == options.DEFAULT_SAMPLE
    assert params["profile"].default == options.ScanOptions().profile


@pytest.mark.parametrize("sample", [0, -1, 1.5, True])
def test_scan_refuses_a_bad_sample(sample: Any) -> None:
    with pytest.raises(ValueError, match="sample"):
        chinacomply.scan(EXAMPLES / "customers.csv", sample=sample)


def test_scan_errors() -> None:
    with pytest.raises(chinacomply.SourceError, match=r"missing\.csv"):
        chinacomply.scan(EXAMPLES / "missing.csv")
    with pytest.raises(chinacomply.UnknownProfileError, match="known: gb35273, pipl"):
        chinacomply.scan(EXAMPLES / "customers.csv", profile="gdpr")


def test_scan_text_is_scan_text_jsonl(tmp_path: Path) -> None:
    for flags, patterns_only in (((), False), (("--patterns-only",), True)):
        lines = _cli("scan", "--text", str(EXAMPLES / "ticket.txt"), *flags).splitlines()
        spans = chinacomply.scan_text(TICKET, patterns_only=patterns_only)
        assert [s.to_dict() for s in spans] == [json.loads(line) for line in lines]
        assert all(s.text != TICKET[s.start : s.end] for s in spans)  # masked


def test_scan_text_refuses_bytes() -> None:
    with pytest.raises(TypeError, match="expected str"):
        chinacomply.scan_text(b"13812345678")  # type: ignore[arg-type]


def test_assess_is_assess_format_json() -> None:
    shown = json.loads(_cli("assess", str(FACTS), "--format", "json"))
    assert chinacomply.assess(FACTS).to_dict() == shown
    assert chinacomply.assess(str(FACTS)).to_dict() == shown


def test_assess_takes_a_mapping_as_of_and_policies() -> None:
    import yaml

    raw = yaml.safe_load(FACTS.read_text("utf-8"))
    assert chinacomply.assess(raw).to_dict() == chinacomply.assess(FACTS).to_dict()
    on = chinacomply.assess(raw, as_of="2026-06-01")
    assert on.as_of == dt.date(2026, 6, 1) == chinacomply.assess(raw, dt.date(2026, 6, 1)).as_of
    shown = json.loads(
        _cli(
            "assess",
            str(FACTS),
            "--format",
            "json",
            "--as-of",
            "2026-06-01",
            "--policy",
            "ciio_grounds_exemption=not_allowed",
        )
    )
    chosen = chinacomply.assess(
        FACTS, as_of="2026-06-01", policies={"ciio_grounds_exemption": "not_allowed"}
    )
    assert chosen.to_dict() == shown


@pytest.mark.parametrize(
    ("facts", "kwargs", "message"),
    [
        ({"as_of": "2026-02-30"}, {}, "facts: as_of:"),
        ({"pack": "nope"}, {}, "nope"),
        (FACTS, {"policies": {"nope": "x"}}, "no policy 'nope'"),
        (FACTS, {"as_of": "2026-13-01"}, "as_of: expected a date"),
        (EXAMPLES / "missing.yaml", {}, "missing.yaml"),
    ],
)
def test_assess_errors_are_facts_errors(facts: Any, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(chinacomply.FactsError, match=re.escape(message)):
        chinacomply.assess(facts, **kwargs)


def test_assess_refuses_what_is_neither_a_mapping_nor_a_path() -> None:
    with pytest.raises(TypeError, match="mapping or a path"):
        chinacomply.assess(["pack: export"])  # type: ignore[arg-type]


# docs/python-api.md: every ```python block, in order, in one namespace, from the repository.
def _doc_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text("utf-8"), re.S | re.M)


def test_doc_has_examples_of_every_function() -> None:
    code = "\n".join(_doc_blocks())
    for name in ("scan", "scan_text", "assess"):
        assert f"chinacomply.{name}(" in code
    for name in chinacomply.__all__:
        assert name in DOC.read_text("utf-8"), name


def test_doc_examples_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    namespace: dict[str, Any] = {}
    for block in _doc_blocks():
        exec(compile(block, str(DOC), "exec"), namespace)
    assert "examples/missing.csv" in capsys.readouterr().out
