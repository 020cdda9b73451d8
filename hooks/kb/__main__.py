"""Command line: ``python -m kb validate [DATA_DIR]`` checks the data without building the site."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .engine import load_graph
from .problems import DataError, Problem


def github_annotation(problem: Problem) -> str:
    """A workflow command that GitHub shows on the pull request's changed line."""
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    mark = problem.mark
    return f"::error file={mark.path},line={mark.line},col={mark.col}::{message}"


def validate(data_dir: Path) -> int:
    started = time.perf_counter()
    try:
        graph = load_graph(data_dir)
    except DataError as err:
        in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        for problem in err.problems:
            print(github_annotation(problem) if in_actions else problem)
        sys.stdout.flush()
        print(f"{err}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(records)} {kind}" for kind, records in graph.by_kind.items())
    print(f"ok: {len(graph.records)} records ({counts}) in {time.perf_counter() - started:.2f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every record and report all problems as path:line:col")
    check.add_argument("data_dir", nargs="?", default="data", type=Path)
    args = parser.parse_args(argv)
    return validate(args.data_dir)


if __name__ == "__main__":
    sys.exit(main())
