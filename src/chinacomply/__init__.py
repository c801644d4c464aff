"""chinacomply: find, classify and count personal information under China's data laws.

The public API is small and listed here once (`__all__`); everything else is an implementation
detail. docs/python-api.md shows each call:

    import chinacomply

    reports = chinacomply.scan("customers.csv")        # list[TableReport]
    spans = chinacomply.scan_text("电话 13812345678")    # list[Span], values masked
    decision = chinacomply.assess("facts.yaml")        # Decision

`import chinacomply` loads no engine: Arrow loads at the first `scan`, pydantic at the first
`assess` (or the first use of `FactsError`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# `chinacomply.scan` is both the function and the subpackage of recognizers. Python sets a
# subpackage as an attribute of its parent once, when it is first loaded, and that would
# replace the function. The subpackage is loaded here, before the function is bound at the end
# of this module, so later imports (`import chinacomply.scan.text`, `from chinacomply.scan
# import registry`) find it in sys.modules and never rebind the name. It holds a docstring
# only; its modules load when imported. tests/test_python_api.py proves it.
import chinacomply.scan as _recognizers
from chinacomply import api_python
from chinacomply.model import ColumnReport, Decision, Span, TableReport
from chinacomply.sources.errors import SourceError
from chinacomply.taxonomy.taxonomy import UnknownProfileError

if TYPE_CHECKING:
    from chinacomply.rules.facts import FactsError

__version__ = "0.1.0"

__all__ = [
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
]


def __getattr__(name: str) -> Any:
    """`FactsError` on first use: it lives with the facts models, which import pydantic."""
    if name == "FactsError":
        from chinacomply.rules.facts import FactsError

        return FactsError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Bound last, over the subpackage attribute set by the import above (see there).
del _recognizers
scan = api_python.scan
scan_text = api_python.scan_text
assess = api_python.assess
