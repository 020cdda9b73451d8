"""Data folder -> typed records, with every validation error located in its file."""

from __future__ import annotations

import difflib
import functools
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

from pydantic import ValidationError

from .load import Mapping, key_mark, load_file, node_at, to_plain
from .model import ALL_KINDS, MODELS, Entry, check_id
from .problems import Mark, Problems, field_path
from .refs import Link, record_links, resolved

# Below this many files one process reads them all: starting workers costs more than it saves.
PARALLEL_MIN_FILES = 2000
MAX_WORKERS = 4
# At most this many processes read records (1: this process only). The benchmark sets it
# while a build runs beside its floor, so that the build does not borrow the floor's core.
WORKERS_ENV = "KB_WORKERS"


Job = tuple[str, Path, str]  # (kind, file, path as shown to editors)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Record:
    """A validated record with where it came from, for located errors later.

    The file's node tree is not kept: its references (with their positions) and the
    position of each top-level field are all later steps need, and they are cheap to
    send from a worker process.
    """

    id: str
    kind: str
    path: str
    model: Entry
    links: tuple[Link, ...] = ()
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # top-level field -> (line, col)

    def mark(self, name: str | None = None) -> Mark:
        """Where the top-level field ``name`` (or the record itself) sits in the file."""
        line, col = self.positions.get(name, (1, 1)) if name else (1, 1)
        return Mark(self.path, line, col)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record file that failed validation (its problems, references included, are already reported)."""

    id: str
    kind: str
    path: str


def find_record_files(data_dir: Path, problems: Problems) -> list[Job]:
    """``(kind, file, path shown to editors)`` for every record file; stray files and folders are problems.

    Folders whose names start with ``_`` or ``.`` (templates, editor settings) are skipped.
    Entries are sorted by name (sorting ``Path`` objects is several times slower, which
    shows with tens of thousands of files).
    """
    found: list[Job] = []
    if not data_dir.is_dir():
        problems.add(Mark(str(data_dir)), "data folder not found")
        return found
    for entry in sorted(data_dir.iterdir(), key=lambda item: item.name):
        if entry.name.startswith(("_", ".")) or (entry.is_file() and entry.suffix == ".md"):
            continue
        shown = _display(entry, data_dir)
        if not entry.is_dir() or entry.name not in ALL_KINDS:
            hint = _did_you_mean(entry.name, ALL_KINDS)
            problems.add(Mark(shown), f"unexpected {'folder' if entry.is_dir() else 'file'} in data/{hint}")
            continue
        with os.scandir(entry) as scanned:
            files = sorted(scanned, key=lambda item: item.name)
        for file in files:
            name = file.name
            if os.path.splitext(name)[1] == ".yaml" and file.is_file():  # "..%2f.yaml" too: its id is refused
                found.append((entry.name, entry / name, f"{shown}/{name}"))
            elif not name.startswith("."):
                why = "use the .yaml extension" if name.endswith(".yml") else "only <id>.yaml record files belong here"
                problems.add(Mark(f"{shown}/{name}"), f"unexpected {'folder' if file.is_dir() else 'file'}: {why}")
    return found


def _display(file: Path, data_dir: Path) -> str:
    """Paths as editors see them: relative to the folder that holds ``data/``."""
    try:
        return file.relative_to(data_dir.parent).as_posix()
    except ValueError:
        return file.as_posix()


def _did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Examined(NamedTuple):
    """What one record file shows by itself: its model (None if it failed validation),
    its well-formed references, not yet checked against the other files, and the
    position of each top-level field."""

    model: Entry | None
    links: tuple[Link, ...]
    positions: dict[str, tuple[int, int]]


def read_record(kind: str, file: Path, path: str, problems: Problems, known: dict[str, str]) -> Record | Rejected:
    """Load, validate and check the references of one file: a record, or a rejection.

    ``known`` maps every record file's id to its kind (see :func:`refs.resolved`).
    Every problem found is added, those in a rejected file's references included.
    """
    examined = examine(kind, file, path, problems)
    links = resolved(examined.links, known, problems)
    if examined.model is None:
        return Rejected(file.stem, kind, path)
    return Record(file.stem, kind, path, examined.model, links, examined.positions)


def examine(kind: str, file: Path, path: str, problems: Problems, raw: bytes | None = None) -> Examined:
    """Everything one file decides by itself: its id, YAML, fields and the form of its references.

    ``raw`` is the file's content when it has been read already. What this finds
    depends only on the file's name, its bytes and the code, so ``./dev validate``
    can keep it between runs (see :mod:`kb.cache`).
    """
    try:
        check_id(file.stem)
    except ValueError as err:
        problems.add(Mark(path), f"file name: {err}")
        return Examined(None, (), {})
    root = load_file(file, path, problems, raw)
    if root is None:
        return Examined(None, (), {})
    model_class = MODELS[kind]
    links = record_links(model_class, root, problems)  # read off the nodes: valid or not
    try:
        model = model_class.model_validate(to_plain(root))
    except ValidationError as err:
        for error in err.errors():
            mark, message = describe_error(root, error, model_class)
            problems.add(mark, message)
        return Examined(None, links, {})
    return Examined(model, links, {name: (node.line, node.col) for name, node in root.values.items()})


def describe_error(root: Mapping, error: dict, model_class: type[Entry]) -> tuple[Mark, str]:
    """Turn a pydantic error into a located, editor-readable message."""
    loc = tuple(error["loc"])
    where = field_path(loc) or "record"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _fields_at(model_class, loc[:-1])
        hint = _did_you_mean(str(loc[-1]), allowed)
        return key_mark(root, loc) or root.mark, f"unknown field {where!r}{hint}"
    node, found = node_at(root, loc)
    if kind == "missing" or not found:
        return node.mark, f"missing required field {where!r}"
    message = error["msg"].removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        message = f"must be one of {expected}"
    elif kind.endswith("_type") and isinstance(error.get("input"), (list, dict)):
        message = f"expected a single value, found a {'list' if isinstance(error['input'], list) else 'mapping'}"
    elif kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        message = "expected a list" if kind == "list_type" else "expected a mapping of fields"
    return node.mark, f"{where}: {message}"


def _fields_at(model_class: type[Entry], loc: tuple[str | int, ...]) -> list[str]:
    """Field names allowed at ``loc`` (for 'did you mean'), following nested models."""
    current: object = model_class
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _nested_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _nested_model(annotation: object) -> object:
    """The model class inside ``list[Model]`` or ``Model | None``, if any."""
    for arg in getattr(annotation, "__args__", ()):
        if hasattr(arg, "model_fields"):
            return arg
    return annotation


def read_records(data_dir: Path, problems: Problems, workers: int | None = None) -> tuple[list[Record], list[Rejected]]:
    """Every valid record under ``data_dir``, and the files that failed validation.

    Duplicate ids across kinds are problems. ``workers`` processes share the files
    (default: one per core for large data sets, see :func:`default_workers`); the
    result does not depend on how many.
    """
    jobs, known = find_jobs(data_dir, problems)
    records: list[Record] = []
    rejected: list[Rejected] = []
    work = functools.partial(read_record, known=known)
    for result in map_files(jobs, problems, work, workers, (_pack, _unpack)):
        (records if isinstance(result, Record) else rejected).append(result)
    return records, rejected


def find_jobs(data_dir: Path, problems: Problems) -> tuple[list[Job], dict[str, str]]:
    """The files to read, and the kind of every id they define (from file names alone)."""
    jobs: list[Job] = []
    known: dict[str, str] = {}
    seen: dict[str, str] = {}
    for kind, file, path in find_record_files(data_dir, problems):
        record_id = file.stem
        if record_id in seen:
            problems.add(
                Mark(path), f"id {record_id!r} is already used by {seen[record_id]}; ids are unique across kinds"
            )
            continue
        seen[record_id] = path
        known[record_id] = kind
        jobs.append((kind, file, path))
    return jobs, known


def default_workers(files: int) -> int:
    """How many processes should read ``files`` record files.

    Several only for large data sets, where forking is available, up to ``KB_WORKERS``
    when set, and while this process runs a single thread: forking a process that has
    other threads (such as ``mkdocs serve``'s file watcher) can copy a lock another
    thread holds.
    """
    if files < PARALLEL_MIN_FILES or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    limit = os.environ.get(WORKERS_ENV, "")
    cap = int(limit) if limit.isdigit() and int(limit) > 0 else MAX_WORKERS
    return max(1, min(cores, cap))


def map_files(
    jobs: list[Job],
    problems: Problems,
    work: Callable[[str, Path, str, Problems], T],
    workers: int | None = None,
    transfer: tuple[Callable[[T], object], Callable[[object], T]] | None = None,
) -> list[T]:
    """``work(kind, file, path, problems)`` for every job, in job order, shared among ``workers`` processes.

    ``workers`` defaults to :func:`default_workers`; this process takes a share too.
    ``work`` must be a module-level function (or a ``functools.partial`` of one) so
    that it can be handed to a worker; a worker's results cross back as
    ``transfer[0]`` of each, restored here by ``transfer[1]`` (default: as they are).
    """
    count = default_workers(len(jobs)) if workers is None else workers
    if count <= 1 or len(jobs) < 2:
        return [work(kind, file, path, problems) for kind, file, path in jobs]
    # Interleaved shares balance the work: files of one kind sit together and differ in size.
    shares = [jobs[start::count] for start in range(count)]
    pack, unpack = transfer or (_unchanged, _unchanged)
    with ProcessPoolExecutor(count - 1, mp_context=multiprocessing.get_context("fork")) as pool:
        pending = [pool.submit(_work_share, share, work, pack) for share in shares[1:]]
        results: list[T] = [None] * len(jobs)  # type: ignore[list-item]
        results[0::count] = [work(kind, file, path, problems) for kind, file, path in shares[0]]
        for start, future in enumerate(pending, start=1):
            packed, share_problems = future.result()
            results[start::count] = [unpack(item) for item in packed]
            problems.extend(share_problems)
    return results


def _work_share(
    jobs: list[Job], work: Callable[[str, Path, str, Problems], T], pack: Callable[[T], object]
) -> tuple[list[object], Problems]:
    """Do a share of the files in a worker process; its problems travel back with it."""
    problems = Problems()
    return [pack(work(kind, file, path, problems)) for kind, file, path in jobs], problems


def _unchanged(value: T) -> T:
    return value


# What a worker sends back of a record: its links as plain tuples. Pickling named
# tuples costs about ten times more than plain ones (measured), and a large data set
# has hundreds of thousands of links.
PackedLink = tuple[str, str, tuple[str, ...], tuple[str | int, ...], int, int]
Packed = tuple[bool, str, str, str, Entry | None, tuple[PackedLink, ...], dict[str, tuple[int, int]]]


def _pack(result: Record | Rejected) -> Packed:
    if isinstance(result, Rejected):
        return (False, result.id, result.kind, result.path, None, (), {})
    links = tuple((link.target, link.how, link.kinds, link.loc, link.mark.line, link.mark.col) for link in result.links)
    return (True, result.id, result.kind, result.path, result.model, links, result.positions)


def _unpack(packed: Packed) -> Record | Rejected:
    valid, record_id, kind, path, model, packed_links, positions = packed
    if not valid:
        return Rejected(record_id, kind, path)
    links = tuple(
        Link(target, how, kinds, loc, Mark(path, line, col)) for target, how, kinds, loc, line, col in packed_links
    )
    return Record(record_id, kind, path, model, links, positions)  # type: ignore[arg-type]
