"""Command line for editors and CI (``./dev validate``, ``./dev schema``, ``./dev links``).

``python -m kb validate [DATA_DIR]``   check the data without building the site; every problem
                                       as ``path:line:col: message`` (GitHub annotations in Actions);
                                       unchanged files' outcomes are kept between runs (``--no-cache``)
``python -m kb schema [--check]``      write (or compare) the JSON Schema of each kind in schemas/
``python -m kb links [--online]``      check source addresses: form and duplicates; reachability
                                       too with ``--online``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .cache import store_for
from .engine import check_data, load_graph
from .graph import Graph
from .problems import DataError, Problem


def github_annotation(problem: Problem) -> str:
    """A workflow command that GitHub shows on the pull request's changed line."""
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    mark = problem.mark
    return f"::error file={mark.path},line={mark.line},col={mark.col}::{message}"


def report(problems: list[Problem]) -> None:
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(github_annotation(problem) if in_actions else problem)


def report_data_error(err: DataError) -> None:
    """Every problem, then how many there are."""
    report(err.problems)
    print(f"{err}", flush=True)


def load_or_report(data_dir: Path) -> Graph | None:
    try:
        return load_graph(data_dir)
    except DataError as err:
        report_data_error(err)
        return None


def validate(data_dir: Path, use_store: bool = True) -> int:
    started = time.perf_counter()
    store = store_for(data_dir) if use_store else None
    try:
        checked = check_data(data_dir, store=store)
    except DataError as err:
        report_data_error(err)
        return 1
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{count} {kind}" for kind, count in checked.counts.items())
    total = sum(checked.counts.values())
    print(f"ok: {total} records ({counts}) in {elapsed:.2f} s")
    if store and checked.examined < checked.files:
        unchanged = checked.files - checked.examined
        print(f"{unchanged} files unchanged since the last run were not checked again (kept in {store})")
    state = checked.health
    attention = "; ".join(f"{count} {label}" for label, count in state.counts().items())
    print(f"editorial health on {state.today}: {attention}")
    return 0


# Each command imports the modules only it needs (links pulls in the HTTP client,
# exports the schema writer), so that ``validate`` starts as fast as it can.


def schema(folder: Path, check: bool) -> int:
    from .exports import schema_texts, write_schemas

    if not check:
        for path in write_schemas(folder):
            print(f"wrote {path}")
        return 0
    stale = [name for name, text in schema_texts().items() if _read(folder / name) != text]
    for name in stale:
        print(f"{folder / name}: out of date with hooks/kb/model.py; run ./dev schema")
    return 1 if stale else 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def check_links(data_dir: Path, online: bool) -> int:
    from . import links

    graph = load_or_report(data_dir)
    if graph is None:
        return 1
    problems = links.offline_problems(graph)
    checked = links.sources_with_addresses(graph)
    if online:
        problems += links.online_problems(checked)
    report(problems)
    mode = "form and reachability" if online else "form only; add --online to fetch them"
    print(f"{len(checked)} addresses checked ({mode}): {len(problems)} problems")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every record; report all problems as path:line:col")
    check.add_argument("data_dir", nargs="?", default="data", type=Path)
    check.add_argument("--no-cache", action="store_true", help="check every file afresh, and keep nothing")
    schemas = commands.add_parser("schema", help="write the JSON Schema of each kind")
    schemas.add_argument("--out", default="schemas", type=Path)
    schemas.add_argument("--check", action="store_true", help="fail if the files differ from the model")
    link = commands.add_parser("links", help="check source addresses")
    link.add_argument("data_dir", nargs="?", default="data", type=Path)
    link.add_argument("--online", action="store_true", help="also fetch every address")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.data_dir, use_store=not args.no_cache)
    if args.command == "schema":
        return schema(args.out, args.check)
    return check_links(args.data_dir, args.online)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip freeing every record one by one at exit (about a second at scale); the
    # operating system reclaims the memory at once. Nothing else is pending: output is flushed.
    os._exit(code)
