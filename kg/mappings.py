"""Load and validate every file under ``mappings/`` before anything runs.

Each YAML file names its ``kind``; it is checked against that kind's definition in
``mappings/schema.json`` (JSON Schema 2020-12, with jsonschema). A broken file fails with
the file, the rule id where there is one, the JSON path, the line and a plain message.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kg.errors import RuleError

DEFAULT_MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"


@dataclass(frozen=True)
class MappingFile:
    path: Path
    kind: str
    data: dict
    node: Any = field(repr=False, default=None)  # the YAML node tree, for line numbers


@dataclass
class Mappings:
    """Everything in the mappings folder, validated; ``digest`` identifies its content."""

    root: Path
    files: list[MappingFile]
    digest: str

    def of_kind(self, kind: str) -> list[MappingFile]:
        return [f for f in self.files if f.kind == kind]


def line_of(f: MappingFile, path: list) -> int | None:
    """The 1-based line of the node at a JSON path in a mapping file (or of its nearest parent)."""
    return _line_of(f.node, path)


def _line_of(node: Any, path: list) -> int | None:
    """The 1-based line of the YAML node at a JSON path, or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == key]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _pointer(path: list) -> str:
    return "/" + "/".join(str(p) for p in path) if path else "/"


def _rule_id(data: Any, path: list) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            return data["rules"][path[1]].get("id")
        except (IndexError, AttributeError, KeyError, TypeError):
            return None
    return None


def _fail(path: Path, message: str, *, line: int | None = None, rule: str | None = None,
          pointer: str | None = None) -> RuleError:
    where = f"{path}" + (f":{line}" if line else "")
    parts = [where]
    if rule:
        parts.append(f"rule {rule}")
    if pointer:
        parts.append(f"at {pointer}")
    return RuleError(", ".join(parts) + f": {message}")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


def load_file(path: Path, schema: dict) -> MappingFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not valid UTF-8 at byte {exc.start}") from None
    try:
        loader = _LOADER(text)  # one parse: the node tree gives line numbers, and the data is built from it
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                    line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or "kind" not in data:
        raise _fail(path, "a mapping file must be a YAML mapping whose first key is 'kind'", line=1)
    kind = data["kind"]
    definitions = schema.get("$defs", {})
    if kind not in definitions or kind in ("rule", "slug", "nonempty", "regexList", "eventEntry"):
        allowed = ", ".join(schema["properties"]["kind"]["enum"])
        raise _fail(path, f"unknown kind {kind!r}; expected one of: {allowed}", line=_line_of(node, ["kind"]),
                    pointer="/kind")
    sub = {"$schema": schema.get("$schema"), "$defs": definitions, "$ref": f"#/$defs/{kind}"}
    validator = jsonschema.Draft202012Validator(sub)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
    if errors:
        err = min(errors, key=lambda e: -len(e.absolute_path))
        p = list(err.absolute_path)
        raise _fail(path, _plain(err), line=_line_of(node, p), rule=_rule_id(data, p), pointer=_pointer(p))
    _check_regexes(path, data, node)
    return MappingFile(path, kind, data, node)


def _plain(err: jsonschema.ValidationError) -> str:
    """Say what jsonschema found in the words of a rule author."""
    if err.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", err.message)
        return f"unknown key {', '.join(repr(e) for e in extra)} (allowed: {', '.join(sorted(err.schema.get('properties', {})))})"
    if err.validator == "required":
        return f"missing key: {err.message.split(' is a required')[0]}"
    if err.validator == "enum":
        return f"{err.instance!r} is not one of {', '.join(map(repr, err.validator_value))}"
    if err.validator == "pattern":
        return f"{err.instance!r} does not have the expected form ({err.validator_value})"
    return err.message


def _check_regexes(path: Path, data: dict, node: Any) -> None:
    """Patterns must compile; say which one does not, and where."""
    candidates: list[tuple[list, str]] = []
    for i, rule in enumerate(data.get("rules", []) or []):
        candidates.append((["rules", i, "pattern"], re.sub(r"\{(\w+):\w+\??\}", r"(?P<\1>X)", rule["pattern"])))
        candidates += [(["rules", i, "unless", j], u) for j, u in enumerate(rule.get("unless", []))]
    for mode, cues in (data.get("mode_cues") or {}).items():
        candidates += [(["mode_cues", mode, j], c) for j, c in enumerate(cues)]
    for i, topic in enumerate(data.get("topics", []) or []):
        candidates += [(["topics", i, "patterns", j], p) for j, p in enumerate(topic["patterns"])]
    for key in ("header", "dateline"):
        if key in data:
            candidates.append(([key], data[key]))
    for key in ("reprint_markers", "end_markers"):
        candidates += [([key, j], p) for j, p in enumerate(data.get(key, []))]
    for p, regex in candidates:
        try:
            re.compile(regex)
        except re.error as exc:
            raise _fail(path, f"the regular expression does not compile: {exc}", line=_line_of(node, p),
                        rule=_rule_id(data, p), pointer=_pointer(p)) from None
    for i, rule in enumerate(data.get("rules", []) or []):
        for slot in re.findall(r"\{(\w+):(\w+\??)\}", rule["pattern"]):
            if slot[1].rstrip("?") not in SLOT_TYPES:
                raise _fail(path, f"unknown slot type {slot[1]!r} in {{{slot[0]}:{slot[1]}}}; "
                            f"expected one of: {', '.join(SLOT_TYPES)}", line=_line_of(node, ["rules", i, "pattern"]),
                            rule=rule["id"], pointer=_pointer(["rules", i, "pattern"]))


SLOT_TYPES = ("person", "persons", "country", "countries", "org", "place", "date", "text")


def load_mappings(root: Path | None = None) -> Mappings:
    """Load every ``*.yaml`` file under the mappings folder, in a fixed order."""
    root = (root or DEFAULT_MAPPINGS).resolve()
    schema_path = root / "schema.json"
    if not schema_path.is_file():
        raise RuleError(f"{root}: no schema.json in the mappings folder")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    paths = sorted(root.rglob("*.yaml"), key=lambda p: str(p.relative_to(root)))
    if not paths:
        raise RuleError(f"{root}: no mapping files (*.yaml)")
    files = [load_file(p, schema) for p in paths]
    h = hashlib.sha256(schema_path.read_bytes())
    for p in paths:
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    _check_duplicate_ids(files)
    _check_lexicons(files)
    return Mappings(root, files, h.hexdigest())


_LEXICON_REF = re.compile(r"\{@(\w+)\}")


def _regex_nodes(data: dict) -> list[tuple[list, str]]:
    """Every regular expression of a rules file, with its JSON path (for a located error)."""
    found: list[tuple[list, str]] = []
    for i, rule in enumerate(data.get("rules", []) or []):
        found.append((["rules", i, "pattern"], rule["pattern"]))
        found += [(["rules", i, "unless", j], u) for j, u in enumerate(rule.get("unless", []))]
    for key in ("hypothetical", "historical", "unnamed", "speaker_labels", "speaker_titles", "meeting_words"):
        found += [([key, j], p) for j, p in enumerate(data.get(key, []) or [])]
    for cue, patterns in (data.get("place_cues") or {}).items():
        found += [(["place_cues", cue, j], p) for j, p in enumerate(patterns)]
    for mode, cues in (data.get("mode_cues") or {}).items():
        found += [(["mode_cues", mode, j], c) for j, c in enumerate(cues)]
    return found


def _check_lexicons(files: list[MappingFile]) -> None:
    """A ``{@name}`` must name a lexicon of some rules file, and every lexicon entry must compile:
    a misspelt lexicon would otherwise be read as the literal text "{@name}" and never match."""
    rules_files = [f for f in files if f.kind == "rules"]
    lexicon: dict[str, list[str]] = {}
    for f in rules_files:
        for name, words in (f.data.get("lexicon") or {}).items():
            for j, word in enumerate(words):
                try:
                    re.compile(word)
                except re.error as exc:
                    raise _fail(f.path, f"lexicon entry {word!r} does not compile: {exc}",
                                line=_line_of(f.node, ["lexicon", name, j]),
                                pointer=_pointer(["lexicon", name, j])) from None
            lexicon.setdefault(name, []).extend(words)
    for f in rules_files:
        entries = [(["lexicon", name, j], w) for name, words in (f.data.get("lexicon") or {}).items()
                   for j, w in enumerate(words)]
        for path, regex in _regex_nodes(f.data) + entries:
            if path[0] == "lexicon" and _names_itself(path[1], lexicon):
                raise _fail(f.path, f"lexicon {path[1]!r} names itself through {{@...}}",
                            line=_line_of(f.node, path), pointer=_pointer(path))
            for ref in _LEXICON_REF.findall(regex):
                if ref not in lexicon:
                    raise _fail(f.path, f"unknown lexicon {{@{ref}}} (lexicons: {', '.join(sorted(lexicon)) or 'none'})",
                                line=_line_of(f.node, path), rule=_rule_id(f.data, path), pointer=_pointer(path))
            try:
                re.compile(re.sub(r"\{(\w+):\w+\??\}", r"(?P<\1>X)", _expanded(regex, lexicon)))
            except re.error as exc:
                raise _fail(f.path, f"the regular expression does not compile once its lexicons are put in: {exc}",
                            line=_line_of(f.node, path), rule=_rule_id(f.data, path), pointer=_pointer(path)) from None


def _check_duplicate_ids(files: list[MappingFile]) -> None:
    seen: dict[str, Path] = {}
    for f in files:
        for i, rule in enumerate(f.data.get("rules", []) or []):
            if rule["id"] in seen:
                raise _fail(f.path, f"duplicate rule id (also in {seen[rule['id']].name})",
                            line=_line_of(f.node, ["rules", i, "id"]), rule=rule["id"], pointer=f"/rules/{i}/id")
            seen[rule["id"]] = f.path


def _names_itself(name: str, lexicon: dict[str, list[str]]) -> bool:
    """Whether a lexicon reaches itself through the {@...} of its entries (it could not be expanded)."""
    seen: set[str] = set()
    todo = [ref for w in lexicon.get(name, []) for ref in _LEXICON_REF.findall(w)]
    while todo:
        ref = todo.pop()
        if ref == name:
            return True
        if ref not in seen:
            seen.add(ref)
            todo += [r for w in lexicon.get(ref, []) for r in _LEXICON_REF.findall(w)]
    return False


def _expanded(regex: str, lexicon: dict[str, list[str]]) -> str:
    """A regular expression with its {@name} replaced by the lexicons' alternations (as kg.rules does)."""
    for _ in range(9):
        if not _LEXICON_REF.search(regex):
            break
        regex = _LEXICON_REF.sub(lambda m: "(?:" + "|".join(lexicon.get(m.group(1), [])) + ")", regex)
    return regex
