"""What ``./dev validate`` found in each file, kept between runs so that unchanged files are not checked again.

All that :func:`kb.records.examine` finds in a file depends on the file's path (its
kind and id), its bytes and this code, nothing else. So each file's outcome is
kept under the digest of its bytes: the file's own problems, its references and
the facts editorial health needs. A later run reads every file and hashes it, and
checks again only those whose digest changed. What depends on other files or on
the day is worked out again on every run: references are checked against the files
present now, and staleness against today's date. Any change to the code, Python or
the YAML and validation libraries starts afresh.

The store is JSON, one file per data folder, outside the work tree: loading a
pickle can run code, and a file outside the tree cannot arrive with a pull
request. Its place is ``$KB_CACHE_DIR``, else ``$XDG_CACHE_HOME/kb-validate``, else
``~/.cache/kb-validate``; deleting it costs one slower run. The site build does not use it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping as MappingOf
from pathlib import Path
from typing import Any, NamedTuple

import pydantic
import pydantic_core
import yaml

from .health import Facts
from .problems import Mark, Problems
from .records import Examined

FORMAT = 1
CACHE_DIR_ENV = "KB_CACHE_DIR"

# An entry as stored: [digest, problems, facts, references] (JSON has no tuples).
# Problems are [path, line, col, message]; facts are [reviewed, concerns], or null for
# a file that failed validation; references map the kinds a reference may point to
# ("companies,bodies") to the ids referred to, space-separated. Where each reference
# sits is not kept (it would be most of the store): when one no longer resolves, the
# file is examined afresh, and that reports it with its position.
Entry = list[Any]


class Replayed(NamedTuple):
    """What a kept entry gives back when it still holds: the file's own problems, its facts and the ids it refers to."""

    problems: list[tuple[Mark, str]]
    facts: Facts | None
    targets: list[str]


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def files_digest(folder: Path, pattern: str = "**/*", salt: bytes = b"") -> str:
    """A digest of ``salt`` and of the names (relative to ``folder``) and bytes of the files matching ``pattern``."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(salt + b"\0")
    for path in sorted(folder.glob(pattern)):
        if path.is_file():
            hasher.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            hasher.update(path.read_bytes() + b"\0")
    return hasher.hexdigest()


def code_version() -> str:
    """A digest of everything besides a file that decides what checking it finds."""
    versions = (FORMAT, sys.version, yaml.__version__, pydantic.VERSION, pydantic_core.__version__)
    return files_digest(Path(__file__).parent, "*.py", repr(versions).encode())


def store_for(data_dir: Path) -> Path:
    """Where the outcomes for ``data_dir`` are kept (one store per folder, by its absolute path)."""
    chosen = os.environ.get(CACHE_DIR_ENV)
    user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = Path(chosen) if chosen else user_cache / "kb-validate"
    name = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
    return folder / f"{name}.json"


def read_store(store: Path, version: str) -> dict[str, Entry]:
    """The kept entries by file path; none when the store is missing, unreadable or from other code."""
    try:
        content = json.loads(store.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(content, dict) or content.get("format") != FORMAT or content.get("version") != version:
        return {}
    files = content.get("files")
    return files if isinstance(files, dict) else {}


def write_store(store: Path, version: str, entries: dict[str, Entry]) -> None:
    """Replace the store with ``entries``, atomically; a store that cannot be written is skipped."""
    text = json.dumps({"format": FORMAT, "version": version, "files": entries}, ensure_ascii=False)
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=store.parent, prefix=f".{store.name}.")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, store)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def make_entry(key: str, own: Problems, examined: Examined, facts: Facts | None) -> Entry:
    """The entry for a file just examined: ``own`` holds the problems it showed by itself."""
    problems = [[p.mark.path, p.mark.line, p.mark.col, p.message] for p in own.items]
    groups: dict[str, dict[str, None]] = {}
    for link in examined.links:
        groups.setdefault(",".join(link.kinds), {})[link.target] = None  # ordered, each id once
    references = {kinds: " ".join(targets) for kinds, targets in groups.items()}
    return [key, problems, None if facts is None else [facts.reviewed, list(facts.concerns)], references]


def replay(entry: object, key: str, known: MappingOf[str, str]) -> Replayed | None:
    """A kept entry's outcome, if it was made from bytes with digest ``key`` and every
    reference in it still resolves (``known`` maps each id present now to its kind).

    An entry that is not as :func:`make_entry` writes it (the store edited by hand)
    gives None too, so that its file is examined afresh.
    """
    if not (isinstance(entry, list) and len(entry) == 4 and entry[0] == key):
        return None
    try:
        _, kept_problems, kept_facts, references = entry
        targets = []
        for kinds, ids in references.items():
            allowed = _kinds(kinds)
            for target in ids.split():
                if known.get(target) not in allowed:
                    return None
                targets.append(target)
        problems = [(Mark(where, int(line), int(col)), str(message)) for where, line, col, message in kept_problems]
        facts = None if kept_facts is None else Facts(str(kept_facts[0]), tuple(map(str, kept_facts[1])))
    except (AttributeError, TypeError, ValueError):
        return None
    return Replayed(problems, facts, targets)


@functools.cache
def _kinds(joined: str) -> frozenset[str]:
    return frozenset(joined.split(","))
