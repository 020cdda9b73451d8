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

from . import cache, health
from .graph import Graph, build_graph
from .load import MAX_FILE_BYTES, read_bytes
from .model import ALL_KINDS
from .problems import DataError, Problems
from .records import examine, find_jobs, map_files, read_records
from .refs import resolved


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
    files: int  # record files found
    examined: int  # files checked afresh; the others' outcomes were kept from an earlier run


def check_data(
    data_dir: Path, today: dt.date | None = None, workers: int | None = None, store: Path | None = None
) -> Checked:
    """Check every record as :func:`load_graph` does, without building the graph.

    Files are read and checked where they are read, as for a build; of each record
    only a small summary comes back, which is all the counts and the editorial-health
    summary need. With ``store`` (see :mod:`kb.cache`), a file whose bytes have not
    changed since the last run is not examined again: its kept outcome stands in,
    and only its references are checked again. Raises :class:`DataError` with the
    same problems :func:`load_graph` would report. ``workers`` is as for
    :func:`kb.records.read_records`.
    """
    today = today or health.build_date()
    problems = Problems()
    jobs, known = find_jobs(data_dir, problems)
    version = cache.code_version() if store else ""
    with cyclic_gc_paused():
        kept = cache.read_store(store, version) if store else None
        check = functools.partial(_check_file, known=known, cutoff=health.stale_before(today), kept=kept)
        results = map_files(jobs, problems, check, workers)
    if store and kept is not None:
        _keep(store, version, kept, [job[2] for job in jobs], results)
    if problems:
        raise DataError(problems)
    summaries = [summary for summary, _, _ in results if summary is not None]
    kinds = Counter(s.kind for s in summaries)
    examined = sum(1 for _, hit, _ in results if not hit)
    return Checked({kind: kinds[kind] for kind in ALL_KINDS}, health.tally(summaries, today), len(jobs), examined)


# One file's result when checked: its summary (None if it failed validation), whether
# its kept entry still held, and its new entry when it was examined afresh.
FileCheck = tuple[health.Summary | None, bool, cache.Entry | None]


def _check_file(
    kind: str,
    file: Path,
    path: str,
    problems: Problems,
    known: dict[str, str],
    cutoff: str,
    kept: dict[str, cache.Entry] | None,
) -> FileCheck:
    """Check one file, from its kept entry when its bytes have not changed and its references still resolve.

    ``kept`` is None when nothing is kept between runs: then no entry is made either.
    """
    raw = read_bytes(file)
    key = cache.digest(raw) if kept is not None else ""
    replayed = cache.replay(kept.get(path), key, known) if kept is not None else None
    if replayed is not None:
        for mark, message in replayed.problems:
            problems.add(mark, message)
        facts, targets = replayed.facts, replayed.targets
    else:
        own = Problems()
        examined = examine(kind, file, path, own, raw)
        facts = None if examined.model is None else health.facts(kind, examined.model)
        problems.extend(own)
        targets = [link.target for link in resolved(examined.links, known, problems)]
    summary = None if facts is None else health.summary(kind, file.stem, facts, targets, cutoff)
    if replayed is not None:
        return summary, True, None
    # A file over the size limit is not kept: its message names its size, which its digest does not show.
    keep = kept is not None and len(raw) <= MAX_FILE_BYTES
    return summary, False, cache.make_entry(key, own, examined, facts) if keep else None


def _keep(store: Path, version: str, kept: dict[str, cache.Entry], paths: list[str], results: list[FileCheck]) -> None:
    """Write the entries of the files present now, if any changed since the store was read."""
    entries = {}
    for path, (_, hit, fresh) in zip(paths, results, strict=True):
        if hit:
            entries[path] = kept[path]
        elif fresh is not None:
            entries[path] = fresh
    if entries.keys() != kept.keys() or any(fresh is not None for _, _, fresh in results):
        cache.write_store(store, version, entries)
