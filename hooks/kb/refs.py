"""What a record refers to, found by walking its model's ``Annotated`` markers.

Which fields hold references (:class:`RefTo`) or Markdown text (:class:`MarkdownText`)
is read off the model, so a new field is checked and linked without touching this
module. The links are read from a file's nodes, not the validated model, so this works on
a record that failed validation (its unknown ids are reported in the same run) and
every value comes with its position.

Reference checking needs no other record's contents, only which ids exist and of
what kind, and that is known from the file names before any file is read. So every
file's references are found and checked where the file is read (in a worker process
at scale), and only the links that resolve travel on to the graph.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from collections.abc import Mapping as MappingOf
from functools import cache
from typing import Annotated, NamedTuple, Union, cast, get_args, get_origin

from pydantic import BaseModel

from .load import Mapping, Scalar, Sequence
from .model import ID_RE, RECORD_KINDS, MarkdownText, RefTo
from .problems import Mark, Problems, field_path
from .text import scan

Loc = tuple[str | int, ...]
ANY_RECORD = (*RECORD_KINDS, "sources")


class Link(NamedTuple):
    """One reference from a record to ``target``, with where it sits in the file.

    ``how`` is the field that holds it (``authority``, ``involves``...), or ``cited`` /
    ``mentioned`` for ``[@id]`` / ``[[id]]`` in text; ``kinds`` are the kinds of record
    it may point to. A named tuple: there are about ten per record, and they travel
    between processes.
    """

    target: str
    how: str
    kinds: tuple[str, ...]
    loc: Loc
    mark: Mark


@cache
def _marker(annotation: object) -> tuple[str, object] | None:
    """What a field annotation holds: ``("ref", RefTo)``, ``("text", None)``, ``("model", cls)``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extras = get_args(annotation)
        for extra in extras:
            if isinstance(extra, RefTo):
                return ("ref", extra)
            if isinstance(extra, MarkdownText):
                return ("text", None)
        return _marker(base)
    if origin in (list, Union, types.UnionType):
        for arg in get_args(annotation):
            found = _marker(arg)
            if found:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation)
    return None


@cache
def field_markers(model_class: type[BaseModel]) -> tuple[tuple[str, str, object], ...]:
    """``(field, what, detail)`` for each field of ``model_class`` that holds refs, text or models."""
    found = []
    for name, info in model_class.model_fields.items():
        marker = None
        for extra in info.metadata:
            if isinstance(extra, RefTo):
                marker = ("ref", extra)
            elif isinstance(extra, MarkdownText):
                marker = ("text", None)
        marker = marker or _marker(info.annotation)
        if marker:
            found.append((name, *marker))
    return tuple(found)


def record_links(model_class: type[BaseModel], root: Mapping, problems: Problems) -> tuple[Link, ...]:
    """Every well-formed reference in a record; what its text may not contain becomes a problem.

    A reference field whose value is not a valid id yields nothing here: validation
    already reports it.
    """
    links: list[Link] = []
    _collect(model_class, root, (), links, problems)
    return tuple(links)


def _collect(model_class: type[BaseModel], node: Mapping, loc: Loc, links: list[Link], problems: Problems) -> None:
    """Add the links in ``node`` (read as ``model_class``) to ``links``; one call per mapping, no generators."""
    values = node.values
    for name, what, detail in field_markers(model_class):
        child = values.get(name)
        if child is None:
            continue
        if type(child) is Sequence:
            located = [((*loc, name, index), item) for index, item in enumerate(child.items)]
        else:
            located = [((*loc, name), child)]
        for item_loc, item in located:
            if what == "model":
                if type(item) is Mapping:
                    _collect(cast(type[BaseModel], detail), item, item_loc, links, problems)
            elif type(item) is Scalar and item.value:
                if what == "ref":
                    if ID_RE.match(item.value):
                        links.append(Link(item.value, name, cast(RefTo, detail).kinds, item_loc, item.mark))
                else:
                    _collect_text(item, item_loc, links, problems)


def _collect_text(scalar: Scalar, loc: Loc, links: list[Link], problems: Problems) -> None:
    references, text_problems = scan(scalar.value)
    for text_problem in text_problems:
        problems.add(scalar.mark_at(text_problem.offset), f"{field_path(loc)}: {text_problem.message}")
    for reference in references:
        cited = reference.kind == "cite"
        links.append(
            Link(
                reference.target,
                "cited" if cited else "mentioned",
                ("sources",) if cited else ANY_RECORD,
                loc,
                scalar.mark_at(reference.offset),
            )
        )


def resolved(links: tuple[Link, ...], known: MappingOf[str, str], problems: Problems) -> tuple[Link, ...]:
    """The links whose target exists and is of a kind the field allows; each other one is a located problem.

    ``known`` maps every record file's id to its kind, valid or not: a reference to a
    record that failed validation is not reported again (its own errors are).
    """
    kept = []
    for link in links:
        kind = known.get(link.target)
        if kind is None:
            problems.add(link.mark, f"{field_path(link.loc)}: unknown id {link.target!r}")
        elif kind not in link.kinds:
            wanted = " or ".join(link.kinds) if len(link.kinds) < 4 else "a record"
            problems.add(link.mark, f"{field_path(link.loc)}: {link.target!r} is a {kind} record; expected {wanted}")
        else:
            kept.append(link)
    return links if len(kept) == len(links) else tuple(kept)


def model_texts(model: BaseModel) -> Iterator[str]:
    """The Markdown text values of a validated record, nested models included."""
    for name, what, _ in field_markers(type(model)):
        value = getattr(model, name)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if what == "model" and isinstance(item, BaseModel):
                yield from model_texts(item)
            elif what == "text" and isinstance(item, str) and item:
                yield item
