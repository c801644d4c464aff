"""The one error every source raises for unreadable or malformed input."""

from __future__ import annotations


class SourceError(Exception):
    """Unreadable or malformed input; the message names the file (or URL) and the problem."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem
