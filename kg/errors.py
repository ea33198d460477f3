"""Problems (warnings a build reports and goes on) and the one exception tree of the project.

    KgError                 anything the user can fix; the CLI prints it and exits 2
    ├── InputError          an unreadable, empty or binary input under --strict, a missing path
    ├── RuleError           a rule file or gazetteer that does not validate; lint under --strict
    ├── QueryError          a SPARQL query that does not parse
    ├── StoreError          no store where one was expected, or one that did not load
    └── GraphError          the built graph does not conform to the SHACL shapes (exit 1)

Anything else escaping the library is an internal error (exit 3).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """Something the build noticed and reports: a skipped file, an undecidable case."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    offset: int | None = None
    rule: str | None = None
    shape: str | None = None     # the SHACL shape a fact broke (shape-violation)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.file, self.line) if x is not None)
        return f"{where}: {self.message}" if where and not self.message.startswith(self.file or "\0") else self.message


class KgError(Exception):
    """A problem the user can fix: printed without a traceback, exit code 2."""

    exit_code = 2


class InputError(KgError):
    pass


class RuleError(KgError):
    pass


class QueryError(KgError):
    pass


class StoreError(KgError):
    pass


class GraphError(KgError):
    """The graph does not conform: a check failed rather than an input being bad."""

    exit_code = 1
