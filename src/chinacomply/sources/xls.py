"""Legacy Excel 97-2003 workbooks (.xls, BIFF8), still what many Chinese HR and finance systems
export. Read through xlrd (the optional `xls` extra); every sheet is a table, as for .xlsx.

xlrd reads the whole workbook into memory; an .xls sheet holds at most 65,536 rows, so that is
bounded. Rows then go through the same header and batching code as .xlsx sheets.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chinacomply.sources.base import SourceError
from chinacomply.sources.excel import ExcelSheet

INSTALL_HINT = "reading .xls needs the 'xls' extra: pip install 'chinacomply[xls]'"


def _xlrd(path: Path) -> Any:
    """xlrd, imported when an .xls file is opened; missing, it is one line naming the extra."""
    try:
        return importlib.import_module("xlrd")
    except ImportError:
        raise SourceError(str(path), INSTALL_HINT) from None


def _open(path: Path) -> Any:
    xlrd = _xlrd(path)
    try:
        return xlrd.open_workbook(str(path), on_demand=True)
    except Exception as err:  # xlrd raises XLRDError, struct and value errors on damaged files
        raise SourceError(
            str(path), f"not a readable .xls workbook ({type(err).__name__})"
        ) from None


def sheets(path: Path) -> list[str]:
    """The sheet names of the workbook, in workbook order."""
    book = _open(path)
    try:
        return list(book.sheet_names())
    finally:
        book.release_resources()


def _value(cell: Any, datemode: int, xlrd: Any) -> Any:
    """A cell as a Python value: xlrd keeps dates as day-count floats, turned back into dates
    here so a birth-date column reads as 1990-03-07 rather than 32939."""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment: dt.datetime = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
        return moment
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


@dataclass
class XlsSheet(ExcelSheet):
    """One sheet of an .xls workbook: the .xlsx sheet with rows from xlrd instead of openpyxl."""

    def _rows(self) -> Iterator[tuple[Any, ...]]:
        xlrd = _xlrd(self.path)
        book = _open(self.path)
        try:
            try:
                sheet = book.sheet_by_name(self.sheet)
            except Exception as err:
                raise SourceError(
                    self.source, f"not a readable .xls sheet ({type(err).__name__})"
                ) from None
            for index in range(sheet.nrows):
                yield tuple(_value(c, book.datemode, xlrd) for c in sheet.row(index))
        finally:
            book.release_resources()
