"""The ``kg`` command: parses options and calls the library, one function per command.

Exit codes: 0 success; 1 a check failed (eval below a threshold, validate found a problem);
2 bad input, rules, query or usage; 3 internal error (``--debug`` shows the traceback).
"""
from __future__ import annotations

import json
import os
import re
import sys
import traceback
from pathlib import Path

import click

from kg.errors import InputError, KgError

DEFAULT_OUT = Path("build")


class KgGroup(click.Group):
    def main(self, args=None, *rest, **options):
        """`--debug` is the group's option, but may be written after the command too
        (`kg build --debug`), as users do."""
        args = list(sys.argv[1:] if args is None else args)
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[1:end]:
            args.remove("--debug")
            args.insert(0, "--debug")
        return super().main(args, *rest, **options)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)              # 128 + SIGINT, as shells report it; 1 means a check failed
        except BrokenPipeError:
            # the reader went away (`kg explain IRI | head`): what it wanted was written
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: exit 3, not a traceback
            if ctx.params.get("debug") or "--debug" in sys.argv:
                traceback.print_exc()
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", err=True)
            sys.exit(3)


def store_option(f):
    return click.option("--store", "store", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
                        help="A build folder (or its store/ subfolder).")(f)


def mappings_option(f):
    return click.option("--mappings", type=click.Path(path_type=Path, file_okay=False), default=None,
                        help="The mappings folder (default: the project's mappings/).")(f)


@click.group(cls=KgGroup)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(package_name="bilateral-kg")
def main(debug: bool) -> None:
    """bilateral-kg: a knowledge graph of bilateral meetings, joint statements and agreements."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Output folder: store/, kg.nq, kg.ttl, report.json.")
@mappings_option
@click.option("--base", default=None, help="Base IRI of minted resources.")
@click.option("--strict", is_flag=True,
              help="Fail on any unreadable input, warning, rule lint finding or SHACL warning.")
@click.option("--accept", "accept", multiple=True, metavar="CODE",
              help="A warning code --strict lets through (repeatable), e.g. date-without-year.")
@click.option("--cache", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder of cached extractions [default: .kg-cache beside --out].")
@click.option("--no-cache", is_flag=True, help="Extract every document again.")
@click.option("--shapes", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="SHACL shapes to validate with [default: ontology/shapes.ttl].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes extracting documents [default: the number of cores].")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--verbose", is_flag=True, help="List every rule that never fired (by default one line counts them).")
@click.option("--document-timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
              help="Time one document's extraction may take; past it the document is left out with a "
                   "warning [default: 30 s + 1 s per 10 KB].")
def build(paths: tuple[Path, ...], out: Path, mappings: Path | None, base: str | None, strict: bool,
          accept: tuple[str, ...], cache: Path | None, no_cache: bool, shapes: Path | None, jobs: int | None,
          quiet: bool, verbose: bool, document_timeout: float | None) -> None:
    """Build the graph from the documents under PATHS (default: seeds/).

    Only documents whose content (or the rules, gazetteers or code) changed since the last build
    are extracted again; the output is the same as a clean build's. The graph is validated with
    ontology/shapes.ttl before anything is written. Exit codes: 0 built and valid, 1 the graph
    does not conform, 2 bad input, rules or usage (and any warning under --strict), 3 internal error.

    Example:

        kg build seeds --out build --strict --accept date-without-year
    """
    from kg.build import BuildConfig, build as run
    from kg.triples import DEFAULT_BASE

    if base is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"{}|\\^`]+[/#]", base):
        raise InputError(f"--base {base!r} is not an absolute IRI ending in '/' or '#' "
                         f"(resources are minted below it, e.g. https://example.org/kg/id/)")
    cache_dir = None if no_cache else (cache or out.resolve().parent / ".kg-cache")
    config = BuildConfig(paths or (Path("seeds"),), out, mappings, base or DEFAULT_BASE, strict, cache_dir, accept,
                         shapes=shapes, jobs=jobs or os.cpu_count() or 1, document_timeout=document_timeout)
    report = run(config)
    if not quiet:
        c, d = report.counts, report.documents
        click.echo(f"built {out}: {c['files']} files ({d['extracted']} extracted, {d['reused']} from the cache), "
                   f"{c['articles']} articles, {c['sentences']} sentences, "
                   f"{c['meetings']} meetings, {c['statements']} joint statements with {c['clauses']} clauses, "
                   f"{c['agreements']} agreements, {c['persons']} persons, {c['triples']} triples "
                   f"in {c['graphs']} graphs; SHACL: {report.shacl.get('violations', 0)} violations, "
                   f"{report.shacl.get('warnings', 0)} warnings ({report.timings.get('total', 0):.2f} s)")
        for w in report.warnings:
            click.echo(f"warning: {w}", err=True)
        unfired = [p for p in report.lint if p.code == "rule-never-fired"]
        for p in report.lint:
            if verbose or p.code != "rule-never-fired":
                click.echo(f"lint: {p}", err=True)
        if unfired and not verbose:
            click.echo(f"lint: {len(unfired)} rules never fired on this corpus "
                       f"(--verbose lists them; report.json has each with its file and line)", err=True)
        for f in report.shacl.get("findings", []):
            click.echo(f"shacl {f['severity'].lower()}: {f.get('label') or f['focus']} {f.get('path', '')}: "
                       f"{f['message']}", err=True)


@main.command()
@click.argument("query", required=False)
@click.option("--file", "-f", "file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Read the query from a file.")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld"]),
              default="table", show_default=True)
def query(query: str | None, file: Path | None, store: Path, fmt: str) -> None:
    """Run a SPARQL query on the merge of all report graphs (each triple once; FROM and FROM NAMED
    are honoured, GRAPH ?g gives each report's own); relative IRIs resolve against the build's
    resource base (<meeting/...> is a meeting).

    Example:

        kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?m a bkg:Meeting }' --store build
    """
    from kg.errors import QueryError
    from kg.review import build_base
    from kg.store import open_store, render, run_query
    from kg.triples import DEFAULT_BASE, PREFIXES

    if (query is None) == (file is None):
        raise QueryError("give a query or --file, not both and not neither")
    text = file.read_text(encoding="utf-8") if file else query
    declared = {line.split()[1].rstrip(":") for line in text.splitlines()
                if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1}
    missing = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    base = build_base(store) or DEFAULT_BASE
    if missing:
        shift = missing.count("\n")
        try:
            results = run_query(open_store(store), missing + text, base)
        except QueryError as exc:
            raise QueryError(_shift_lines(str(exc), shift)) from None
    else:
        results = run_query(open_store(store), text, base)
    click.echo(render(results, fmt), nl=False)


def _shift_lines(message: str, shift: int) -> str:
    """Report positions in the user's query, not in the one with prefixes added."""
    import re
    return re.sub(r"error at (\d+):(\d+)", lambda m: f"error at line {int(m.group(1)) - shift}, column {m.group(2)}",
                  message)


@main.command()
@mappings_option
def validate(mappings: Path | None) -> None:
    """Check every rule file and gazetteer without building.

    Example:

        kg validate
    """
    from kg.events import load_crosswalk
    from kg.gazetteer import build_gazetteer
    from kg.lint import lint_rules
    from kg.mappings import load_mappings
    from kg.mentions import MentionFinder
    from kg.rules import load_rules

    loaded = load_mappings(mappings)          # schema, unknown keys, duplicate ids: an error here (exit 2)
    load_crosswalk(loaded)                    # every event code a concept of ontology/events.ttl
    gazetteer = build_gazetteer(loaded)
    book = load_rules(loaded)
    problems = lint_rules(book, MentionFinder(gazetteer))
    for p in problems:
        click.echo(f"problem: {p.code}: {p}", err=True)
    click.echo(f"{len(loaded.files)} mapping files, {len(book.rules)} rules, {len(gazetteer.persons)} persons, "
               f"{len(gazetteer.countries)} countries: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    if problems:
        sys.exit(1)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]), default="ttl",
              show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="Write to a file.")
def dump(store: Path, fmt: str, output: Path | None) -> None:
    """Write the graph in one format (triple formats give the union of all graphs).

    Example:

        kg dump --store build --format trig -o kg.trig
    """
    from kg.review import build_base
    from kg.store import all_quads, open_store, serialize
    from kg.triples import DEFAULT_BASE

    data = serialize(all_quads(open_store(store)), fmt, build_base(store) or DEFAULT_BASE)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (0.0.0.0 for all).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run; a request's timeout parameter may only lower it.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows (or triples) per answer; more are cut, and the answer says so.")
@click.option("--max-body", type=click.IntRange(min=1024), default=1_000_000, show_default=True,
              help="Bytes of a POST body or a GET query string.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes evaluating queries [default: the number of cores, at least 2].")
@click.option("--max-concurrent", type=click.IntRange(min=1), default=64, show_default=True,
              help="Queries running or waiting; beyond, 503 with Retry-After.")
@click.option("--allow-service", multiple=True, metavar="URL",
              help="An endpoint SERVICE may call (repeatable); any other SERVICE is refused.")
@click.option("--base", default=None, help="Resource namespace served under /id/ [default: the build's].")
@click.option("--query-log", default=None, metavar="FILE",
              help="Write one JSON line per query to FILE ('-' for stderr).")
@click.option("--allocator", type=click.Choice(["auto", "jemalloc", "glibc"]), default="auto", show_default=True,
              help="Memory allocator of the workers: auto takes jemalloc (about 15% faster) when installed.")
@click.option("--worker-memory", type=click.IntRange(min=64), default=4096, show_default=True, metavar="MB",
              help="Heap a worker may use; a query that needs more is stopped (500 out-of-memory).")
@click.option("--max-answer-bytes", type=click.IntRange(min=1024), default=64 << 20, show_default=True,
              metavar="BYTES", help="Bytes of one answer; a larger one is cut at a whole row and marked truncated.")
@click.option("--header-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="Time a client has to send a request's line and headers; beyond, 408.")
@click.option("--body-timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Time a client has to send a request's body once its headers are in; beyond, 408.")
def serve(store: Path, host: str, port: int, timeout: float, max_rows: int, max_body: int, workers: int | None,
          max_concurrent: int, allow_service: tuple[str, ...], base: str | None, query_log: str | None,
          allocator: str, worker_memory: int, max_answer_bytes: int, header_timeout: float,
          body_timeout: float) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol, with a query page at /.

    Example:

        kg serve --store build --port 7878
    """
    from kg.endpoint import ServeConfig, serve as run

    config = ServeConfig(store, host, port, timeout, max_rows, max_body,
                         workers or ServeConfig.__dataclass_fields__["workers"].default, max_concurrent,
                         allow_service, base, query_log, allocator, worker_memory,
                         max_answer_bytes=max_answer_bytes, head_timeout=header_timeout, body_timeout=body_timeout)
    run(config)


@main.command()
@click.argument("iri", required=False)
@click.option("--rule", "rule", default=None, metavar="ID", help="List what one rule produced instead.")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def explain(iri: str | None, rule: str | None, store: Path, as_json: bool) -> None:
    """Where each fact of a resource comes from: the report graphs, the quote, file, line and rule.

    IRI may be the full IRI, id:PATH or PATH (under the build's base).

    Example:

        kg explain id:meeting/2022-08-23/anayansi-rodriguez-camejo/xie-feng --store build
        kg explain --rule meeting.held-talks --store build
    """
    from kg.errors import InputError
    from kg.review import build_base, explain as facts_of, explain_rule
    from kg.store import open_store
    from kg.triples import DEFAULT_BASE

    if (iri is None) == (rule is None):
        raise InputError("give an IRI or --rule ID, not both and not neither")
    graph = open_store(store)
    base = build_base(store) or DEFAULT_BASE
    if rule is not None:
        description, produced = explain_rule(graph, rule, base)
        if as_json:
            click.echo(json.dumps({"rule": rule, "description": description, "produced": [
                {"resource": r, "label": label, **s.as_dict()} for r, label, s in produced]}, indent=2,
                ensure_ascii=False))
            return
        click.echo(f"rule {rule}: {description}\n{len(produced)} piece(s) of evidence")
        for resource, label, s in produced:
            click.echo(f"  {resource}" + (f"  ({label})" if label else ""))
            click.echo(f"    {s.file}:{s.line}: {s.quote}")
        return
    node, label, facts = facts_of(graph, iri, base)
    if as_json:
        click.echo(json.dumps({"iri": node.value, "label": label, "facts": [f.as_dict() for f in facts]}, indent=2,
                              ensure_ascii=False))
        return
    click.echo(f"<{node.value}>" + (f"  {label}" if label else ""))
    for f in facts:
        click.echo(f"  {f.predicate} {f.value}    [{', '.join(f.graphs)}]")
        for s in f.sources:
            click.echo(f"      {s.file}:{s.line} by {s.rule} ({s.rule_file}): {s.quote}")


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--graphs", is_flag=True, help="Compare quads (which report graph says it), not triples.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the graphs differ (as git diff --exit-code).")
def diff(old: Path, new: Path, graphs: bool, as_json: bool, exit_code: bool) -> None:
    """Triples added and removed between two builds (folders, stores or dumps), by resource.

    Example:

        kg diff build-before/kg.nq build/kg.nq
    """
    from kg.review import build_base, diff as compare, load_quads
    from kg.triples import DEFAULT_BASE

    changes = compare(load_quads(old), load_quads(new), graphs, build_base(new) or DEFAULT_BASE)
    added, removed = sum(len(c.added) for c in changes), sum(len(c.removed) for c in changes)
    if as_json:
        click.echo(json.dumps({"added": added, "removed": removed, "resources": [c.as_dict() for c in changes]},
                              indent=2, ensure_ascii=False))
    else:
        for c in changes:
            click.echo(f"{c.subject}" + (f"  ({c.label})" if c.label else ""))
            for line in c.removed:
                click.echo(f"  - {line}")
            for line in c.added:
                click.echo(f"  + {line}")
        click.echo(f"{added} added, {removed} removed, in {len(changes)} resource(s)")
    if exit_code and changes:
        sys.exit(1)


@main.command()
@store_option
@click.option("--endpoint", required=True, metavar="URL",
              help="The Graph Store Protocol endpoint, e.g. http://host:7878/store.")
@click.option("--merge", is_flag=True, help="POST (add to each graph) instead of PUT (replace it).")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True, help="Seconds per request.")
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="An HTTP header to send (repeatable), e.g. an Authorization header.")
def push(store: Path, endpoint: str, merge: bool, retries: int, timeout: float, headers: tuple[str, ...]) -> None:
    """Load the built graphs, one by one, into a SPARQL 1.1 Graph Store Protocol endpoint.

    Exits 1 when a graph could not be sent after its retries.

    Example:

        kg push --store build --endpoint http://127.0.0.1:7879/store
    """
    from kg.errors import InputError
    from kg.push import push as send

    extra = {}
    for h in headers:
        name, sep, value = h.partition(":")
        if not sep or not name.strip():
            raise InputError(f"--header {h!r}: write it as 'Name: value'")
        extra[name.strip()] = value.strip()
    report = send(store, endpoint, merge=merge, retries=retries, timeout=timeout, headers=extra)
    click.echo(f"pushed {report.graphs} graphs, {report.triples} triples ({report.bytes / 1e6:.1f} MB) to {endpoint} "
               f"in {report.seconds:.1f} s; {report.retries} retries; {len(report.failed)} failed"
               + (f"; {report.not_sent} not sent (the endpoint could not be reached)" if report.not_sent else ""))
    for graph, reason in report.failed:
        click.echo(f"failed: {graph}: {reason}", err=True)
    if report.failed or report.not_sent:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shard", "shard", required=True, metavar="K/N", help="Extract shard K of N (1 <= K <= N).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The shard file to write.")
@mappings_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes [default: cores].")
def extract(paths: tuple[Path, ...], shard: str, output: Path, mappings: Path | None, jobs: int | None) -> None:
    """Extract the facts of one shard of the documents, for `kg merge` (e.g. one task of a cluster).

    Example:

        kg extract corpus/ --shard 3/8 -o shards/3.shard
    """
    from kg.shards import extract_shard, parse_shard, save

    k, n = parse_shard(shard)
    result = extract_shard(list(paths or (Path("seeds"),)), k, n, mappings, jobs or os.cpu_count() or 1)
    output.parent.mkdir(parents=True, exist_ok=True)
    save(result, output)
    click.echo(f"shard {k}/{n}: {len(result.documents)} of {result.total} documents -> {output}")


@main.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True)
@mappings_option
@click.option("--base", default=None, help="Base IRI of minted resources.")
@click.option("--strict", is_flag=True, help="As for kg build.")
@click.option("--accept", "accept", multiple=True, metavar="CODE", help="As for kg build.")
def merge(shards: tuple[Path, ...], out: Path, mappings: Path | None, base: str | None, strict: bool,
          accept: tuple[str, ...]) -> None:
    """Merge the shards of `kg extract` into one build: the same output as `kg build`.

    Example:

        kg merge shards/*.shard --out build
    """
    from kg.shards import load, merge as run
    from kg.triples import DEFAULT_BASE

    report = run([load(p) for p in shards], out, mappings=mappings, base=base or DEFAULT_BASE, strict=strict,
                 accept=accept)
    c = report.counts
    click.echo(f"merged {len(shards)} shards into {out}: {c['files']} files, {c['meetings']} meetings, "
               f"{c['triples']} triples; SHACL: {report.shacl.get('violations', 0)} violations")


@main.command(name="eval")
@click.argument("gold", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--min-meeting-f1", type=float, default=None)
@click.option("--min-participant-f1", type=float, default=None)
@click.option("--min-date-accuracy", type=float, default=None)
@click.option("--min-clauses-found", type=float, default=None)
@click.option("--min-clause-side-accuracy", type=float, default=None)
def eval_(gold: Path, store: Path, as_json: bool, min_meeting_f1, min_participant_f1, min_date_accuracy,
          min_clauses_found, min_clause_side_accuracy) -> None:
    """Score the graph against a gold file; exit 1 below a threshold.

    Example:

        kg eval tests/gold/seeds.json --store build --min-meeting-f1 0.85
    """
    from kg.errors import InputError
    from kg.evaluate import evaluate, failures
    from kg.store import open_store

    try:
        gold_data = json.loads(gold.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{gold}: not a JSON gold file: {exc}") from None
    result = evaluate(open_store(store), gold_data)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for key, value in result.items():
            if isinstance(value, list):
                for item in value:
                    click.echo(f"  {key}: {item}")
            else:
                click.echo(f"{key:38} {value}")
    failed = failures(result, {"meeting_f1": min_meeting_f1, "participant_f1": min_participant_f1,
                               "date_accuracy": min_date_accuracy, "clauses_found": min_clauses_found,
                               "clause_asserted_by_accuracy": min_clause_side_accuracy})
    for f in failed:
        click.echo(f"below threshold: {f}", err=True)
    if failed:
        sys.exit(1)


def _period(start: str | None, end: str | None):
    from kg.export import Period
    return Period.parse(start, end)


def _output(output: Path | None):
    """A binary stream for a table: the file (written whole or not at all) or stdout."""
    import contextlib
    import tempfile

    @contextlib.contextmanager
    def stream():
        if output is None:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
            return
        if output.parent and not output.parent.is_dir():
            raise InputError(f"{output.parent}: no such folder")
        fd, tmp = tempfile.mkstemp(dir=output.parent or ".", prefix=f".{output.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb", buffering=1 << 20) as f:
                yield f
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)       # as open() would make it: mkstemp's file is private
            os.replace(tmp, output)
        except BaseException:
            os.unlink(tmp)
            raise
    return stream()


period_options = [
    click.option("--from", "start", default=None, metavar="DATE",
                 help="Keep events that may fall on or after this day (YYYY, YYYY-MM or YYYY-MM-DD)."),
    click.option("--to", "end", default=None, metavar="DATE",
                 help="Keep events that may fall on or before this day (YYYY, YYYY-MM or YYYY-MM-DD)."),
]


def with_period(f):
    for option in reversed(period_options):
        f = option(f)
    return f


# where and how an export writes its table (kg export events, kg export dyad-years)
table_output_options = [
    click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
                 help="Write to a file (default: stdout)."),
    click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "jsonl"]), default="csv", show_default=True),
]


def with_table_output(f):
    for option in reversed(table_output_options):
        f = option(f)
    return f


@main.group()
def export() -> None:
    """Tables for event-data research (R, pandas, Stata): dyadic events, dyad-years.

    Example:

        kg export events --store build -o events.csv
    """


@export.command("events")
@store_option
@with_table_output
@with_period
@click.option("--undirected", is_flag=True, help="One row per meeting and code instead of one per direction.")
def export_events(store: Path, output: Path | None, fmt: str, start: str | None, end: str | None,
                  undirected: bool) -> None:
    """One row per directed event, as ICEWS gives them: a visit is a 042 row visitor -> host and a 043
    row host -> visitor, a call a 041 row each way; columns event_id, event_date, date_precision,
    source_*/target_* (name, country, iso3, gw), cameo_code, plover_type, plover_mode, mode, city,
    location, meeting, sentence, source_file, n_reports. Written as the rows come (flat memory).

    Example:

        kg export events --store build -o events.csv --from 2022 --to 2022-12
    """
    from kg.export import events_query, write_table
    from kg.store import open_store

    query = events_query(undirected, _period(start, end))
    db = open_store(store)
    with _output(output) as out:
        write_table(db, query, out, fmt)


@export.command("dyad-years")
@store_option
@with_table_output
@with_period
def export_dyad_years(store: Path, output: Path | None, fmt: str, start: str | None, end: str | None) -> None:
    """Meetings per unordered pair of sides, year and mode (year, country_a, iso3_a, gw_a, country_b,
    iso3_b, gw_b, mode, meetings); meetings without a year are not counted.

    Example:

        kg export dyad-years --store build -o dyad-years.csv
    """
    from kg.export import dyad_years_query, write_table
    from kg.store import open_store

    query = dyad_years_query(_period(start, end))
    db = open_store(store)
    with _output(output) as out:
        write_table(db, query, out, fmt)


@main.group()
def plot() -> None:
    """Pictures of the graph as SVG, for papers: who met whom, and when.

    Example:

        kg plot network --store build -o network.svg
    """


def _svg_out(output: Path, svg: str) -> None:
    if output.suffix.lower() != ".svg":
        raise InputError(f"{output}: the picture is SVG; name the file *.svg")
    with _output(output) as out:
        out.write(svg.encode("utf-8"))


@plot.command("network")
@store_option
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The SVG file to write.")
@with_period
@click.option("--country", default=None, help="Only the meetings of this side (code, ISO3 code or label).")
def plot_network(store: Path, output: Path, start: str | None, end: str | None, country: str | None) -> None:
    """Countries as nodes (area by meetings), meetings as edges (width by count), laid out by networkx;
    each node links to its country's IRI.

    Example:

        kg plot network --store build -o network.svg --from 2022
    """
    from kg.export import rows
    from kg.plots import countries_query, find_country, network_queries, network_svg
    from kg.store import open_store

    db = open_store(store)
    focus = find_country(list(rows(db, countries_query())), country) if country else None
    pairs_q, nodes_q = network_queries(_period(start, end), str(focus["country"]) if focus else None)
    title = "Who met whom" + (f": {focus['label']}" if focus else "")
    _svg_out(output, network_svg(list(rows(db, pairs_q)), list(rows(db, nodes_q)), link=lambda iri: iri,
                                 title=title))


@plot.command("timeline")
@store_option
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The SVG file to write.")
@click.option("--country", "countries", multiple=True, required=True,
              help="The side whose meetings to show; a second --country keeps only the meetings with it.")
def plot_timeline(store: Path, output: Path, countries: tuple[str, ...]) -> None:
    """One side's meetings over time, a row per partner, the mark's shape by mode; each mark has a
    title (date, mode, participants, sentence) and links to the meeting's IRI.

    Example:

        kg plot timeline --store build -o china-cuba.svg --country CN --country CU
    """
    from kg.export import rows
    from kg.plots import countries_query, find_country, timeline_query, timeline_svg
    from kg.store import open_store

    if len(countries) > 2:
        raise InputError("give --country once or twice (a side, and a partner)")
    db = open_store(store)
    known = list(rows(db, countries_query()))
    chosen = [find_country(known, c) for c in countries]
    partner = str(chosen[1]["country"]) if len(chosen) > 1 else None
    label = str(chosen[0]["label"]) + (f" with {chosen[1]['label']}" if partner else "")
    _svg_out(output, timeline_svg(list(rows(db, timeline_query(str(chosen[0]["country"]), partner))),
                                  link=lambda iri: iri, country_label=label))


if __name__ == "__main__":
    main()
