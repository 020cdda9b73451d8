"""Data folder -> typed records, with every validation error located in its file."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .load import Mapping, key_mark, load_file, node_at, to_plain
from .model import ALL_KINDS, MODELS, Entry, check_id
from .problems import Mark, Problems, field_path


@dataclass(frozen=True)
class Record:
    """A validated record with where it came from, for located errors later."""

    id: str
    kind: str
    path: str
    model: Entry
    node: Mapping

    def mark(self, loc: tuple[str | int, ...] = ()) -> Mark:
        """Where the value at ``loc`` sits in the file (the nearest existing node)."""
        node, _ = node_at(self.node, loc)
        return node.mark


@dataclass(frozen=True)
class Rejected:
    """A record file that failed validation, kept so its references can still be checked."""

    id: str
    kind: str
    path: str
    node: Mapping | None


def find_record_files(data_dir: Path, problems: Problems) -> list[tuple[str, Path]]:
    """``(kind, file)`` for every record file; stray files and folders are problems.

    Folders whose names start with ``_`` or ``.`` (templates, editor settings) are skipped.
    """
    found: list[tuple[str, Path]] = []
    if not data_dir.is_dir():
        problems.add(Mark(str(data_dir)), "data folder not found")
        return found
    for entry in sorted(data_dir.iterdir()):
        if entry.name.startswith(("_", ".")) or (entry.is_file() and entry.suffix == ".md"):
            continue
        shown = _display(entry, data_dir)
        if not entry.is_dir() or entry.name not in ALL_KINDS:
            hint = _did_you_mean(entry.name, ALL_KINDS)
            problems.add(Mark(shown), f"unexpected {'folder' if entry.is_dir() else 'file'} in data/{hint}")
            continue
        for file in sorted(entry.iterdir()):
            if file.is_file() and file.suffix == ".yaml":
                found.append((entry.name, file))
            elif not file.name.startswith("."):
                why = "use the .yaml extension" if file.suffix == ".yml" else "only <id>.yaml record files belong here"
                problems.add(
                    Mark(_display(file, data_dir)), f"unexpected {'folder' if file.is_dir() else 'file'}: {why}"
                )
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


def read_record(kind: str, file: Path, path: str, problems: Problems) -> Record | Rejected:
    """Load and validate one file: a record, or a rejection with all its problems added."""
    record_id = file.stem
    try:
        check_id(record_id)
    except ValueError as err:
        problems.add(Mark(path), f"file name: {err}")
        return Rejected(record_id, kind, path, None)
    root = load_file(file, path, problems)
    if root is None:
        return Rejected(record_id, kind, path, None)
    model_class = MODELS[kind]
    try:
        model = model_class.model_validate(to_plain(root))
    except ValidationError as err:
        for error in err.errors():
            mark, message = describe_error(root, error, model_class)
            problems.add(mark, message)
        return Rejected(record_id, kind, path, root)
    return Record(record_id, kind, path, model, root)


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


def read_records(data_dir: Path, problems: Problems) -> tuple[list[Record], list[Rejected]]:
    """Every valid record under ``data_dir``, and the files that failed validation.

    Duplicate ids across kinds are problems. The rejections let the graph check their
    references too and tell a reference to a missing record from one to a record
    that failed validation (whose own errors are already reported).
    """
    records: list[Record] = []
    rejected: list[Rejected] = []
    seen: dict[str, str] = {}
    for kind, file in find_record_files(data_dir, problems):
        path = _display(file, data_dir)
        if file.stem in seen:
            problems.add(
                Mark(path), f"id {file.stem!r} is already used by {seen[file.stem]}; ids are unique across kinds"
            )
            continue
        seen[file.stem] = path
        result = read_record(kind, file, path, problems)
        (records if isinstance(result, Record) else rejected).append(result)
    return records, rejected
