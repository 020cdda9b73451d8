"""Strict YAML: a file's text becomes a tree of nodes that keep their ``file:line:col``.

Only the parser's event stream is used (libyaml's C parser when present), and the
tree is composed here, iteratively, so that the dangerous parts of YAML are refused
before anything is constructed: anchors and aliases (alias bombs), tags (custom
constructors), merge keys, several documents, duplicate keys, and nesting deeper
than any record needs. Every scalar stays a string: there is no YAML 1.1 ``NO`` is
false, ``0755`` is octal, or ``2019-12-01`` is a date here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Mark, Problems

try:  # libyaml's parser is about ten times faster and gives the same marks
    from yaml.cyaml import CParser as _Parser  # the parser alone: no constructor or resolver to set up
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader  # type: ignore[misc,assignment]

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 12
# C0/C1 controls other than tab, line feed and carriage return; bidirectional
# controls that can make text read differently from what it is (Trojan Source);
# zero-width characters that hide differences between ids and names.
FORBIDDEN_CHAR_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


@dataclass(slots=True)
class _Located:
    """Where a node starts; its :class:`Mark` is made only when asked for.

    A file has some thirty nodes and most of their marks are never read (only
    those of references and problems are), so a node keeps the path, line and
    column a mark needs rather than a mark.
    """

    path: str
    line: int
    col: int

    @property
    def mark(self) -> Mark:
        return Mark(self.path, self.line, self.col)


@dataclass(slots=True)
class Scalar(_Located):
    value: str
    style: str | None = None  # None plain, "|" literal, ">" folded, "'" or '"' quoted
    origin: tuple[int, int] | None = None  # (line, col) of a literal block's first character
    one_line: bool = True  # the value sits on one line of the file

    def mark_at(self, offset: int) -> Mark:
        """The file position of character ``offset`` of the value, where it can be known."""
        style = self.style
        if self.one_line and style in (None, "'", '"'):
            shift = 0 if style is None else 1
            return Mark(self.path, self.line, self.col + shift + offset)
        if style == "|" and self.origin:
            before = self.value[:offset]
            line = self.origin[0] + before.count("\n")
            col = self.origin[1] + len(before) - (before.rfind("\n") + 1)
            return Mark(self.path, line, col)
        return self.mark


@dataclass(slots=True)
class Mapping(_Located):
    keys: dict[str, Scalar] = field(default_factory=dict)
    values: dict[str, Node] = field(default_factory=dict)


@dataclass(slots=True)
class Sequence(_Located):
    items: list[Node] = field(default_factory=list)


Node = Scalar | Mapping | Sequence


def _mark(path: str, yaml_mark: yaml.Mark) -> Mark:
    return Mark(path, yaml_mark.line + 1, yaml_mark.column + 1)


def position_of(text: str, index: int, path: str) -> Mark:
    """Line and column of character ``index`` in ``text``."""
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Mark(path, line, col)


def decode(raw: bytes, path: str, problems: Problems, size: int | None = None) -> str | None:
    """UTF-8 text with a leading byte-order mark removed, or None with a located problem.

    ``size`` is the file's size, when ``raw`` holds only its beginning.
    """
    if len(raw) > MAX_FILE_BYTES:
        problems.add(Mark(path), f"file is {size or len(raw):,} bytes; a record may be at most {MAX_FILE_BYTES:,}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        mark = position_of(raw[: err.start].decode("utf-8", "replace"), err.start, path)
        problems.add(mark, f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8")
        return None
    return text.removeprefix("\ufeff")


def check_characters(text: str, path: str, problems: Problems) -> bool:
    """Refuse control, bidirectional-override and zero-width characters, each located."""
    found = False
    for match in FORBIDDEN_CHAR_RE.finditer(text):
        found = True
        problems.add(position_of(text, match.start(), path), f"character U+{ord(match.group()):04X} is not allowed")
        if len(problems) > 20:
            break
    return not found


# The event types, bound once: the composer's loop compares each event's type with them.
_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent


class _Composer:
    """Builds nodes from parser events with an explicit stack (no recursion).

    One loop with dispatch on the event's exact type, the common cases (a key, a
    value, an item) written out in it: at scale this loop handles about forty events
    per file, so method calls and ``isinstance`` chains per event cost more than the
    parsing itself. Anything unusual (a refusal, a repeated key) leaves the loop.
    """

    def __init__(self, text: str, path: str, problems: Problems) -> None:
        self.text = text
        self.lines: list[str] | None = None
        self.path = path
        self.problems = problems

    def compose(self) -> Node | None:
        try:
            return self._compose()
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            where = _mark(self.path, mark) if mark else Mark(self.path)
            problem = err.problem or "invalid YAML"
            context = f" ({err.context})" if err.context else ""
            self.problems.add(where, f"YAML syntax error: {problem}{context}")
            return None
        except yaml.YAMLError as err:  # reader errors carry no mark of the usual kind
            self.problems.add(Mark(self.path), f"YAML error: {err}")
            return None

    def _compose(self) -> Node | None:
        path = self.path
        next_event = _Parser(self.text).get_event
        stack: list[Mapping | Sequence] = []
        parent: Mapping | Sequence | None = None  # stack[-1], kept in a local
        key: Scalar | None = None  # the key waiting for its value in ``parent``
        root: Node | None = None
        documents = 0
        while True:
            event = next_event()
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None or event.tag is not None:
                    return self.refuse_property(event)
                start = event.start_mark
                line = start.line
                style = event.style or None
                node: Node = Scalar(
                    path,
                    line + 1,
                    start.column + 1,
                    event.value,
                    style,
                    self.literal_origin(event) if style == "|" else None,
                    line == event.end_mark.line,
                )
                if type(parent) is Mapping:
                    if key is not None:
                        parent.values[key.value] = node
                        key = None
                    elif node.value in parent.keys or (style is None and node.value == "<<"):
                        return self.refuse_key(event, parent, node)
                    else:
                        parent.keys[node.value] = key = node  # type: ignore[assignment]
                elif parent is not None:
                    parent.items.append(node)
                else:
                    root = node
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None or event.tag is not None:
                    return self.refuse_property(event)
                if len(stack) >= MAX_DEPTH:
                    return self.refuse(event, f"nesting deeper than {MAX_DEPTH} levels")
                start = event.start_mark
                container = Mapping if kind is _MAPPING_START else Sequence
                node = container(path, start.line + 1, start.column + 1)
                if type(parent) is Mapping:
                    if key is None:
                        return self.refuse(event, "a key must be a plain name, not a list or mapping")
                    parent.values[key.value] = node
                    key = None
                elif parent is not None:
                    parent.items.append(node)
                else:
                    root = node
                stack.append(node)  # type: ignore[arg-type]
                parent = node  # type: ignore[assignment]
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                stack.pop()  # a container's key was used up when the container started
                parent = stack[-1] if stack else None
            elif kind is yaml.AliasEvent:
                return self.refuse(event, "aliases (*name) are not allowed; write the value out")
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return self.refuse(event, "a record file holds one YAML document; remove the '---' separator")
            elif kind is yaml.StreamEndEvent:
                return root

    def refuse_property(self, event: yaml.Event) -> None:
        """Refuse an anchor or a tag on a node."""
        if event.anchor is not None:
            return self.refuse(event, "anchors (&name) are not allowed")
        return self.refuse(event, f"tags such as {event.tag!r} are not allowed")

    def refuse_key(self, event: yaml.Event, parent: Mapping, node: Scalar) -> None:
        """Refuse a merge key or a key the mapping already has."""
        if node.style is None and node.value == "<<":
            return self.refuse(event, "merge keys (<<) are not allowed")
        first = parent.keys[node.value]
        self.problems.add(node.mark, f"duplicate key {node.value!r} (first at line {first.line})")
        return None

    def refuse(self, event: yaml.Event, message: str) -> None:
        self.problems.add(_mark(self.path, event.start_mark), message)

    def literal_origin(self, event: yaml.ScalarEvent) -> tuple[int, int] | None:
        """Where the first content line of a literal block scalar starts (1-based)."""
        if self.lines is None:
            self.lines = self.text.split("\n")
        lines = self.lines
        for index in range(event.start_mark.line + 1, min(len(lines), event.end_mark.line + 1)):
            content = lines[index]
            if content.strip():
                return index + 1, len(content) - len(content.lstrip(" ")) + 1
        return None


def parse_text(text: str, path: str, problems: Problems) -> Node | None:
    """Compose ``text`` into nodes; None (with problems added) when it is not acceptable."""
    if not check_characters(text, path, problems):
        return None
    return _Composer(text, path, problems).compose()


def read_bytes(file: Path) -> bytes:
    """The file's bytes, or its first ``MAX_FILE_BYTES + 1`` when it is larger.

    Plain ``os`` calls: ``Path.read_bytes`` costs several times more per file (its
    buffered file object), which shows at tens of thousands of files; and a huge
    file is never read whole, only far enough for :func:`decode` to refuse it.
    """
    fd = os.open(file, os.O_RDONLY)
    try:
        chunks = []
        left = MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def load_file(file: Path, path: str, problems: Problems, raw: bytes | None = None) -> Mapping | None:
    """A record file's top-level mapping, or None with every problem found added.

    ``raw`` is what :func:`read_bytes` returned for the file, when it has been read already.
    """
    raw = read_bytes(file) if raw is None else raw
    text = decode(raw, path, problems, os.stat(file).st_size if len(raw) > MAX_FILE_BYTES else None)
    if text is None:
        return None
    root = parse_text(text, path, problems)
    if root is None:
        if not problems or all(p.mark.path != path for p in problems.items):
            problems.add(Mark(path), "file is empty; a record is a mapping of fields such as 'name:'")
        return None
    if not isinstance(root, Mapping):
        kind = "a list" if isinstance(root, Sequence) else "a single value"
        problems.add(root.mark, f"a record must be a mapping of fields, found {kind}")
        return None
    return root


def to_plain(node: Node) -> object:
    """Plain Python values for validation; an empty plain value means 'not given'.

    Scalars inside containers are handled where they are met (most values are
    scalars), so the recursion happens only for nested containers.
    """
    kind = type(node)
    if kind is Scalar:
        return None if node.value == "" and node.style is None else node.value  # type: ignore[union-attr]
    if kind is Sequence:
        return [
            (None if item.value == "" and item.style is None else item.value)
            if type(item) is Scalar
            else to_plain(item)
            for item in node.items  # type: ignore[union-attr]
        ]
    plain: dict[str, object] = {}
    for key, value in node.values.items():  # type: ignore[union-attr]
        if type(value) is not Scalar:
            plain[key] = to_plain(value)  # a container is never "not given"
        elif value.value or value.style is not None:
            plain[key] = value.value
    return plain


def node_at(root: Node, loc: tuple[str | int, ...]) -> tuple[Node, bool]:
    """The node at ``loc`` (a validation error's location) and whether it exists.

    When the path ends before ``loc`` does (a missing field), the deepest node
    reached is returned with False.
    """
    node = root
    for part in loc:
        if isinstance(node, Mapping) and isinstance(part, str) and part in node.values:
            node = node.values[part]
        elif isinstance(node, Sequence) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
        else:
            return node, False
    return node, True


def key_mark(root: Node, loc: tuple[str | int, ...]) -> Mark | None:
    """The mark of the key that names the last part of ``loc``, when there is one."""
    parent, found = node_at(root, loc[:-1])
    if found and isinstance(parent, Mapping) and isinstance(loc[-1], str):
        key = parent.keys.get(loc[-1])
        return key.mark if key else None
    return None
