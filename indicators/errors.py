"""The one domain error type, and the problem list that validation produces.

Lives in `indicators` (the lowest layer) so every app can raise and catch it
without importing upwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, and where it stands.

    path: where in the input, e.g. ``indicators[2].children[0].method.excess.step``
      or ``records[14].value``; for spreadsheets ``计分细则!F12``.
    code: a stable machine code (``not_a_number``, ``unknown_indicator`` ...).
    message: the Chinese sentence shown to users; names what is wrong.
    """

    path: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class DomainError(Exception):
    """Raised by services when a request cannot be carried out.

    ``message`` is shown to the user (Chinese); ``extra`` carries details,
    e.g. ``{"problems": [...]}`` or ``{"field": "value"}``.
    """

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra: dict[str, Any] = extra or {}


class InvalidInput(DomainError):
    """A plan, period data or spreadsheet with one or more problems.

    Carries every problem found, never just the first.
    """

    def __init__(self, problems: Iterable[Problem], message: str | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(
            message or f"输入有 {len(self.problems)} 处错误,未写入任何数据",
            {"problems": [p.as_dict() for p in self.problems]},
        )


@dataclass
class ProblemList:
    """Collects problems while walking an input; raise once at the end."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, code: str, message: str) -> None:
        self.problems.append(Problem(path, code, message))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)


def apply_domain_error(form: Any, error: DomainError) -> None:
    """Show a service's error on a Django form: beside its field, else above."""
    field = error.extra.get("field")
    form.add_error(
        field if field in getattr(form, "fields", {}) else None, error.message
    )
