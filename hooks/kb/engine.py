"""One call from a data folder to a checked graph: the whole front half of the flow."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .graph import Graph, build_graph
from .problems import DataError, Problems
from .records import read_records


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large tree of objects is built.

    Loading creates millions of small objects that all stay alive, and the collector
    would traverse the growing heap again and again: measured at 1x, it took more
    than half of the loading time. The records form no reference cycles, so nothing
    is lost by collecting once afterwards instead.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_graph(data_dir: Path) -> Graph:
    """Read, validate and link every record; raise :class:`DataError` listing all problems."""
    problems = Problems()
    with cyclic_gc_paused():
        records, rejected = read_records(data_dir, problems)
        graph = build_graph(records, problems, rejected)
    if problems:
        raise DataError(problems)
    return graph
