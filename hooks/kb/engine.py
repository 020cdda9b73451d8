"""From a data folder to a checked graph (the front half of the flow), or to a check alone."""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import health
from .graph import Graph, build_graph
from .model import ALL_KINDS
from .problems import DataError, Problems
from .records import read_records, summarise_records


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
        records, _ = read_records(data_dir, problems)
        if problems:
            raise DataError(problems)
        return build_graph(records)


@dataclass(frozen=True)
class Checked:
    """What checking a data folder found, when it has no problems."""

    counts: dict[str, int]  # valid records of each kind, every kind listed
    health: health.Health[health.Summary]


def check_data(data_dir: Path, today: dt.date | None = None, workers: int | None = None) -> Checked:
    """Check every record as :func:`load_graph` does, without building the graph.

    Files are read and checked where they are read, as for a build; of each record
    only a small summary comes back (see :func:`kb.records.summarise_records`), which
    is all the counts and the editorial-health summary need. Raises
    :class:`DataError` with the same problems :func:`load_graph` would report.
    ``workers`` is as for :func:`kb.records.read_records`.
    """
    today = today or health.build_date()
    problems = Problems()
    with cyclic_gc_paused():
        summarise = functools.partial(health.summary, cutoff=health.stale_before(today))
        summaries = [s for s in summarise_records(data_dir, problems, summarise, workers) if s is not None]
    if problems:
        raise DataError(problems)
    kinds = Counter(s.kind for s in summaries)
    return Checked({kind: kinds[kind] for kind in ALL_KINDS}, health.tally(summaries, today))
