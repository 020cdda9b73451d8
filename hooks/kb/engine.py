"""One call from a data folder to a checked graph: the whole front half of the flow."""

from __future__ import annotations

from pathlib import Path

from .graph import Graph, build_graph
from .problems import DataError, Problems
from .records import read_records


def load_graph(data_dir: Path) -> Graph:
    """Read, validate and link every record; raise :class:`DataError` listing all problems."""
    problems = Problems()
    records, rejected = read_records(data_dir, problems)
    graph = build_graph(records, problems, rejected)
    if problems:
        raise DataError(problems)
    return graph
