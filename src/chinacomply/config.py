"""Where chinacomply keeps its state: the inventory database and the ledger's hashing key.

Resolution, first found wins: the --db option; CHINACOMPLY_DB; `db` in the config file; a SQLite
file in the home folder. The home folder is CHINACOMPLY_HOME or ~/.local/share/chinacomply; the
config file is `config.toml` in it. The key file sits outside the database on purpose: a copy of
the database alone cannot be used to test guesses of ID numbers against the stored hashes.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


class ConfigError(ValueError):
    """A config file that cannot be read; the message names it and the key."""


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    key_file: Path


def home() -> Path:
    return Path(os.environ.get("CHINACOMPLY_HOME") or Path.home() / ".local/share/chinacomply")


def _config_file(folder: Path) -> dict[str, object]:
    path = folder / "config.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from None
    unknown = set(data) - {"db", "key_file"}
    if unknown:
        raise ConfigError(f"{path}: unknown key {sorted(unknown)[0]!r} (known: db, key_file)")
    return data


def settings(db_option: str | None = None) -> Settings:
    """The settings in force for this run."""
    folder = home()
    config = _config_file(folder)
    db = db_option or os.environ.get("CHINACOMPLY_DB") or config.get("db")
    if db is None:
        db = f"sqlite:///{folder / 'chinacomply.db'}"
    elif "://" not in str(db):  # a plain path means an SQLite file
        db = f"sqlite:///{Path(str(db)).resolve()}"
    key_file = Path(str(config.get("key_file") or folder / "ledger.key"))
    return Settings(folder, str(db), key_file)
