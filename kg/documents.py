"""Stage 1, documents: find the ``*.txt`` inputs, decode them strictly (UTF-8, or UTF-16 with or
without a byte-order mark) and normalize the text.

Normalization (Unicode NFC, non-breaking and other horizontal spaces folded to one space,
``\\r``, direction marks and invisible joiners dropped, non-breaking hyphens read as hyphens and
Unicode line separators as line breaks, trailing spaces removed) keeps a map from every
normalized character back to its offset in the original string, so evidence can quote the
source verbatim.
"""
from __future__ import annotations

import bisect
import fnmatch
import os
import re
import urllib.parse
from array import array
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import Problem

_HSPACE = {"\t", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200a", "\u202f", "\u3000", " "}
_DROP = {"\r", "\ufeff", "\u200b", "\u00ad", "\u200e", "\u200f", "\u2060"}
# One character written for another on web pages: a hyphen that must not break the line
# ("Moon Jae\u2011in"), a Unicode line or paragraph separator. Each stands for one character of
# the original, so the offset map is unchanged.
_SAME_AS = {"\u2010": "-", "\u2011": "-", "\u2028": "\n", "\u2029": "\n"}
_ANY_DROP = re.compile("[" + "".join(sorted(_DROP | set(_SAME_AS))) + "]")
# The runs of horizontal space that normalizing changes, in a text with nothing to drop: all but a
# lone " " between two characters of a line (most of them, which the fast path leaves in place).
_H, _H_OTHER = "".join(sorted(_HSPACE)), "".join(sorted(_HSPACE - {" "}))
_HSPACE_CHANGED = re.compile(f"(?<![{_H}])(?:[{_H}]{{2,}}|[{_H_OTHER}]|(?<![^\n]) | (?![^\n]))")


class OffsetMap:
    """For each character of the normalized text, and one past its end, its offset in the
    original text. Stored as runs in which both advance together: normalizing changes few
    characters, so a text takes a few runs, not one number per character (a tuple of Python ints
    took 36 bytes a character, an array 8: at 100,000 reports, 460 MB)."""

    __slots__ = ("starts", "origins", "length")

    def __init__(self) -> None:
        self.starts = array("q")     # where each run starts in the normalized text
        self.origins = array("q")    # and where it starts in the original
        self.length = 0

    def extend(self, origin: int, count: int) -> None:
        """The next `count` characters come from original[origin:origin + count]."""
        if count <= 0:
            return
        if self.length and self.origins[-1] + self.length - self.starts[-1] == origin:
            self.length += count     # the last run goes on
            return
        self.starts.append(self.length)
        self.origins.append(origin)
        self.length += count

    def append(self, origin: int) -> None:
        self.extend(origin, 1)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, position: int) -> int:
        if position < 0:
            position += self.length
        if not 0 <= position < self.length:
            raise IndexError(f"offset {position} outside 0..{self.length - 1}")
        run = bisect.bisect_right(self.starts, position) - 1
        return self.origins[run] + position - self.starts[run]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OffsetMap) and (self.length, self.starts, self.origins) == \
            (other.length, other.starts, other.origins)

    def __repr__(self) -> str:
        return f"OffsetMap({self.length} characters in {len(self.starts)} runs)"


@dataclass(frozen=True)
class Document:
    """One decoded input file: its original text, the normalized text and the offset map."""

    path: Path
    name: str
    original: str
    text: str
    # not part of a document's identity
    offsets: OffsetMap = field(repr=False, compare=False)
    _line_starts: tuple[int, ...] = field(repr=False, default=())

    @property
    def iri_stem(self) -> str:
        """The name without its .txt, as IRI path segments (see iri_path)."""
        return iri_path(self.name[:-4] if self.name.lower().endswith(".txt") else self.name)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalized text to the span of the original text."""
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        # a composed character may stand for several original code points
        while o_end < len(self.original) and unicodedata.combining(self.original[o_end]):
            o_end += 1
        return o_start, o_end

    def line_of(self, start: int) -> int:
        """1-based line number in the original file of a normalized offset."""
        return bisect.bisect_right(self._line_starts, self.offsets[min(start, len(self.offsets) - 1)])


def normalize(original: str) -> tuple[str, OffsetMap]:
    """Return the normalized text and, for each of its characters, the original offset."""
    if not _ANY_DROP.search(original) and unicodedata.is_normalized("NFC", original):
        return _fold_spaces(original)
    return _normalize_by_character(original)


def _fold_spaces(original: str) -> tuple[str, OffsetMap]:
    """normalize() of a text that is already NFC and has nothing to drop, where only runs of
    horizontal space change: found by one regular expression, the text between them copied whole
    (the character loop below took half the time of reading a corpus). A lone space inside a line
    stays as it is, so only the runs that change are visited."""
    pieces: list[str] = []
    offsets = OffsetMap()
    pos, n = 0, len(original)
    for run in _HSPACE_CHANGED.finditer(original):
        i, j = run.span()
        pieces.append(original[pos:i])
        offsets.extend(pos, i - pos)
        # one space, unless the run starts the text or a line, or ends one
        if 0 < i and original[i - 1] != "\n" and j < n and original[j] != "\n":
            pieces.append(" ")
            offsets.append(i)
        pos = j
    pieces.append(original[pos:])
    offsets.extend(pos, n + 1 - pos)
    return "".join(pieces), offsets


def _normalize_by_character(original: str) -> tuple[str, OffsetMap]:
    out: list[str] = []
    offsets = OffsetMap()
    i, n = 0, len(original)
    while i < n:
        ch = original[i]
        if ch in _DROP:
            i += 1
            continue
        if ch in _SAME_AS:
            out.append(_SAME_AS[ch])
            offsets.append(i)
            i += 1
            continue
        if ch in _HSPACE:
            j = i
            while j < n and (original[j] in _HSPACE or original[j] in _DROP):
                j += 1
            at_line_end = j >= n or original[j] == "\n"
            if not at_line_end and out and out[-1] != "\n":
                out.append(" ")
                offsets.append(i)
            i = j
            continue
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        for k, c in enumerate(unicodedata.normalize("NFC", original[i:j])):
            out.append(c)
            offsets.append(i + min(k, j - i - 1))
        i = j
    offsets.append(n)
    return "".join(out), offsets


def decode(path: Path, data: bytes, name: str | None = None) -> tuple[Document | None, Problem | None]:
    """Decode one file's bytes, or say precisely why it cannot be read. `name` is how the build
    knows the file (its path below the input folder it was found in); by default its file name."""
    name = name or display_name(path.name)
    if not data.strip():
        return None, Problem("empty-file", f"{name}: the file is empty", file=name, line=1)
    wide = _utf16(data)
    if wide is not None:
        return _decode_utf16(path, data, name, wide)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, Problem("binary-file", f"{name}: looks binary (NUL byte at byte offset {nul})",
                             file=name, line=line, offset=nul)
    try:
        original = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem("not-utf8", f"{name}: not valid UTF-8 at byte offset {exc.start} "
                             f"(line {line}): {exc.reason}", file=name, line=line, offset=exc.start)
    return _document(path, name, original), None


def _document(path: Path, name: str, original: str) -> Document:
    original = original.removeprefix("\ufeff")
    text, offsets = normalize(original)
    line_starts = (0, *(m.end() for m in re.finditer("\n", original)))
    return Document(path, name, original, text, offsets, line_starts)


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _utf16(data: bytes) -> str | None:
    """The codec of UTF-16 text (what Windows tools write as "Unicode"): "utf-16" when a byte-order
    mark says which, "utf-16-le" or "utf-16-be" when a NUL stands in every other byte of the first
    line's ASCII; None for anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:200]
    if len(head) < 8:
        return None
    if head[1::2].count(0) >= len(head) // 2 - 1:
        return "utf-16-le"
    if head[0::2].count(0) >= len(head) // 2 - 1:
        return "utf-16-be"
    return None


def _decode_utf16(path: Path, data: bytes, name: str, codec: str) -> tuple[Document | None, Problem | None]:
    """UTF-16 text is read as such; what is not valid UTF-16 is said with its byte offset."""
    try:
        original = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(codec, "replace").count("\n") + 1
        how = "its byte-order mark" if codec == "utf-16" else "a NUL in every other byte"
        return None, Problem("not-utf8", f"{name}: UTF-16 text ({how} says so), but not valid UTF-16 at byte "
                             f"offset {exc.start} (line {line}): {exc.reason}", file=name, line=line, offset=exc.start)
    if not original.strip():
        return None, Problem("empty-file", f"{name}: the file is empty (UTF-16)", file=name, line=1)
    control = _CONTROL.search(original)      # NULs every other byte of a binary file read as UTF-16
    if control:
        line = original.count("\n", 0, control.start()) + 1
        return None, Problem("binary-file", f"{name}: looks binary (control character U+{ord(control.group()):04X} "
                             f"in what would be UTF-16 text, line {line})", file=name, line=line)
    return _document(path, name, original), None


def display_name(name: str) -> str:
    """A file name as text: the bytes of a name that is not UTF-8 written as escapes (\\xe9)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def iri_path(name: str) -> str:
    """A file's name (folders included) as IRI path segments: '/' kept between folders, any
    character an IRI path may not hold (a space, a newline, <>"{}|\\^`) percent-encoded."""
    return urllib.parse.quote(name.encode("utf-8", "surrogateescape"), safe="/!$&'()*+,;=:@-._~")


@dataclass(frozen=True)
class Input:
    """An input file and the name the build knows it by: its path below the folder it was found
    in (two report.txt in two folders stay two reports), or its file name when given itself."""

    path: Path
    name: str

    @property
    def stem(self) -> str:
        return self.name[:-4] if self.name.lower().endswith(".txt") else self.name


def find_inputs(paths: list[Path], problems: list[Problem] | None = None) -> list[Input]:
    """Every ``*.txt`` file under the given files and folders, each once (a folder given twice, or
    a file inside a folder also given, is read once), named by its path below its folder; sorted
    by name for determinism. Names two folders share are given with the folder as written. A
    folder that cannot be read is a problem added to `problems` (its documents are left out)."""
    found: dict[Path, tuple[Path, str]] = {}
    for p in paths:
        if p.is_dir():
            for q in sorted(_txt_files(p, problems)):
                if q.is_file():
                    found.setdefault(q.resolve(), (q, display_name(q.relative_to(p).as_posix())))
        elif p.is_file():
            found.setdefault(p.resolve(), (p, display_name(p.name)))
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    names: dict[str, int] = {}
    for _, name in found.values():
        names[name] = names.get(name, 0) + 1
    inputs = [Input(q, display_name(q.as_posix()) if names[name] > 1 else name) for q, name in found.values()]
    return sorted(inputs, key=lambda i: (Path(i.name).name, i.name))


def _txt_files(folder: Path, problems: list[Problem] | None) -> list[Path]:
    """The ``*.txt`` files below `folder` (as Path.rglob finds them: symbolic links to folders are
    not followed), saying which folders could not be read (rglob skips them without a word)."""
    def unreadable(exc: OSError) -> None:
        if problems is not None:
            where = Path(exc.filename or folder)
            name = display_name(where.relative_to(folder).as_posix() if where != folder else str(folder))
            problems.append(Problem("unreadable-folder", f"{name}/: the folder cannot be read ({exc.strerror}); "
                                    "the documents in it are left out", file=name + "/"))

    return [Path(top) / name for top, _, names in os.walk(folder, onerror=unreadable)
            for name in names if fnmatch.fnmatchcase(name, "*.txt")]


def read_document(source: Path | Input) -> tuple[Document | None, Problem | None]:
    """Read and decode one input; an unreadable one is a problem, never an exception."""
    path, name = (source.path, source.name) if isinstance(source, Input) else (source, display_name(source.name))
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem("unreadable-file", f"{name}: cannot be read ({exc.strerror})", file=name)
    return decode(path, data, name)
