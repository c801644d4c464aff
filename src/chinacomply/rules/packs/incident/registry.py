"""The incident pack's conditions, by rule and duty id (filled by the modules of this folder)."""

from __future__ import annotations

from chinacomply.rules.pack import Registry

conditions = Registry()
