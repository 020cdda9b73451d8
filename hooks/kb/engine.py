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
    """Pause Python's cycle collector while a large tree of objects is built, then freeze it.

    Loading creates millions of small objects that all stay alive, and the collector
    would traverse the growing heap again and again: measured at 1x, it took more
    than half of the loading time. The records form no reference cycles, so nothing
    is lost by not collecting. Afterwards the loaded objects are frozen (moved out of
    the collector's sight): they live as long as the build, and every later full
    collection would otherwise walk them all again (half a second each at 1x). The
    next load unfreezes them, so a previous build's graph can still be collected.
    """
    was_enabled = gc.isenabled()
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
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
