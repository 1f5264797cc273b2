"""The engine's one public exception and the row-level errors it carries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A file with thousands of bad rows is almost always one systematic mistake (a shifted
# column, a wrong unit); listing the first ones is what helps a clerk, the rest are counted.
MAX_LISTED_ERRORS = 1000


@dataclass(frozen=True)
class DataError:
    """One problem in an imported file. `row` is the spreadsheet row number (the header is
    row 1), or 0 for problems with the file as a whole; `column` is the Chinese header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        column = f"「{self.column}」" if self.column else ""
        return f"{where}{column}：{self.message}"


class EngineError(Exception):
    """Bad input to the engine. `message` is Chinese and tells the user what to fix;
    `errors` lists every problem found, by row and column, when the input was a file."""

    def __init__(self, message: str, errors: Sequence[DataError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors: tuple[DataError, ...] = tuple(errors)
        self.total_errors = len(self.errors)

    @classmethod
    def from_errors(cls, what: str, errors: Sequence[DataError], total: int) -> EngineError:
        """Summarise a list of row errors as one Chinese message (first few shown)."""
        shown = "；".join(str(e) for e in errors[:3])
        more = f"，等共{total}处" if total > 3 else ""
        error = cls(f"{what}有{total}处错误，请修正后重新导入：{shown}{more}", errors)
        error.total_errors = total
        return error
