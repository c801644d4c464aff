"""Data files shipped inside the package (law, vocabularies, gazetteers), read one way
everywhere: UTF-8 text through importlib.resources, and YAML through libyaml's C parser when
PyYAML has it, which loads the vocabularies ten times faster than the pure-Python parser."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(package: str, path: str) -> str:
    """A shipped file's text, e.g. read_text("chinacomply.scan", "data/gb2260_regions.tsv")."""
    return resources.files(package).joinpath(path).read_text("utf-8")


def load_yaml(text: str) -> Any:
    """YAML with the safe constructors only (no object tags), as plain data."""
    return yaml.load(text, Loader=_LOADER)
