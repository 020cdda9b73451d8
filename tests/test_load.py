"""Strict YAML loading: what is refused, and that every refusal is located."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb.load import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Mapping,
    Scalar,
    Sequence,
    load_file,
    node_at,
    parse_text,
    read_bytes,
    to_plain,
)
from kb.problems import Problems


def parse(text: str) -> tuple[object, list[str]]:
    problems = Problems()
    node = parse_text(text, "f.yaml", problems)
    return node, [str(p) for p in problems.sorted()]


def load_bytes(tmp_path: Path, raw: bytes) -> tuple[object, list[str]]:
    file = tmp_path / "r.yaml"
    file.write_bytes(raw)
    problems = Problems()
    node = load_file(file, "data/companies/r.yaml", problems)
    return node, [str(p) for p in problems.sorted()]


@pytest.mark.parametrize(
    "value", ["NO", "yes", "on", "12:30", "0755", "1.10", "1e3", ".nan", "2019-12-01", "null", "~"]
)
def test_yaml_1_1_traps_stay_strings(value: str) -> None:
    node, problems = parse(f"key: {value}\n")
    assert problems == []
    assert to_plain(node) == {"key": value}


def test_empty_plain_value_means_not_given_but_empty_quoted_is_kept() -> None:
    node, _ = parse("a:\nb: ''\n")
    assert to_plain(node) == {"b": ""}


def test_marks_are_one_based_line_and_column() -> None:
    node, _ = parse("name: x\nlist:\n  - one\n  - two\n")
    assert isinstance(node, Mapping)
    second, found = node_at(node, ("list", 1))
    assert found and isinstance(second, Scalar)
    assert (second.mark.line, second.mark.col) == (4, 5)


def test_literal_block_positions_map_to_the_file() -> None:
    node, _ = parse("summary: |\n  first line\n  second [[x]] line\n")
    summary, _ = node_at(node, ("summary",))
    assert isinstance(summary, Scalar)
    offset = summary.value.index("[[x]]")
    mark = summary.mark_at(offset)
    assert (mark.line, mark.col) == (3, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a' (first at line 1)"),
        ("a: &x 1\nb: *x\n", "f.yaml:1:4: anchors (&name) are not allowed"),
        (
            "a: !!python/object:os.system x\n",
            "f.yaml:1:4: tags such as 'tag:yaml.org,2002:python/object:os.system' are not allowed",
        ),
        ("a: !custom x\n", "f.yaml:1:4: tags such as '!custom' are not allowed"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: a record file holds one YAML document; remove the '---' separator"),
        ("<<: {a: 1}\n", "f.yaml:1:1: merge keys (<<) are not allowed"),
        ("[a]: 1\n", "f.yaml:1:1: a key must be a plain name, not a list or mapping"),
        # The same refusals inside containers, located where they stand.
        ("a: &x [1]\n", "f.yaml:1:4: anchors (&name) are not allowed"),
        ("a: &x {b: 1}\n", "f.yaml:1:4: anchors (&name) are not allowed"),
        ("a: !seq [1]\n", "f.yaml:1:4: tags such as '!seq' are not allowed"),
        ("a:\n  b: 1\n  c:\n    d: 1\n    d: 2\n", "f.yaml:5:5: duplicate key 'd' (first at line 4)"),
        ("a:\n  - x: 1\n    <<: {y: 2}\n", "f.yaml:3:5: merge keys (<<) are not allowed"),
        ("a:\n  {b: 1}: 2\n", "f.yaml:2:3: a key must be a plain name, not a list or mapping"),
        ("a: [b, *c]\n", "f.yaml:1:8: aliases (*name) are not allowed; write the value out"),
        ('"<<": x\n<<: {y: 1}\n', "f.yaml:2:1: merge keys (<<) are not allowed"),
    ],
)
def test_dangerous_or_ambiguous_yaml_is_refused(text: str, expected: str) -> None:
    node, problems = parse(text)
    assert node is None
    assert problems == [expected]


def test_alias_bomb_is_refused_before_anything_expands() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{','.join(['*' + chr(96 + i)] * 9)}]")
    node, problems = parse("\n".join(lines) + "\n")
    assert node is None
    assert problems and "anchors" in problems[0]


def test_syntax_error_and_tab_are_located() -> None:
    _, problems = parse("a: [1, 2\nb: 3\n")
    assert len(problems) == 1 and problems[0].startswith("f.yaml:") and "YAML syntax error" in problems[0]
    _, problems = parse("a:\n\t- 1\n")
    assert problems[0].startswith("f.yaml:2:1: YAML syntax error")


def test_deep_nesting_is_refused_without_crashing() -> None:
    node, problems = parse("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert node is None
    assert problems == [f"f.yaml:1:{4 + MAX_DEPTH - 1}: nesting deeper than {MAX_DEPTH} levels"]


@pytest.mark.parametrize(
    ("char", "name"),
    [("\x00", "0000"), ("\u202e", "202E"), ("\u200b", "200B"), ("\x1b", "001B"), ("\u2066", "2066")],
)
def test_control_bidi_and_zero_width_characters_are_located(char: str, name: str) -> None:
    node, problems = parse(f"name: ok\nsummary: ab{char}c\n")
    assert node is None
    assert problems == [f"f.yaml:2:12: character U+{name} is not allowed"]


def test_non_utf8_is_located(tmp_path: Path) -> None:
    node, problems = load_bytes(tmp_path, b"name: ok\nsummary: caf\xe9\n")
    assert node is None
    assert problems == ["data/companies/r.yaml:2:13: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    node, problems = load_bytes(tmp_path, "\ufeffname: ok\n".encode())
    assert problems == []
    assert to_plain(node) == {"name": "ok"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "data/companies/r.yaml:1:1: file is empty; a record is a mapping of fields such as 'name:'"),
        (
            b"# only a comment\n",
            "data/companies/r.yaml:1:1: file is empty; a record is a mapping of fields such as 'name:'",
        ),
        (b"- a\n- b\n", "data/companies/r.yaml:1:1: a record must be a mapping of fields, found a list"),
        (b"just text\n", "data/companies/r.yaml:1:1: a record must be a mapping of fields, found a single value"),
    ],
)
def test_empty_and_non_mapping_files(tmp_path: Path, raw: bytes, expected: str) -> None:
    node, problems = load_bytes(tmp_path, raw)
    assert node is None
    assert problems == [expected]


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    node, problems = load_bytes(tmp_path, b"name: " + b"x" * 300_000 + b"\n")
    assert node is None
    assert problems == ["data/companies/r.yaml:1:1: file is 300,007 bytes; a record may be at most 262,144"]


def test_a_huge_file_is_read_only_far_enough_to_refuse_it(tmp_path: Path) -> None:
    file = tmp_path / "big.yaml"
    file.write_bytes(b"x" * 3_000_000)
    assert len(read_bytes(file)) == MAX_FILE_BYTES + 1
    file.write_bytes(b"name: small\n")
    assert read_bytes(file) == b"name: small\n"


def test_sequences_and_nested_mappings_compose() -> None:
    node, problems = parse("a:\n  - b: c\n    d: [e, f]\n")
    assert problems == []
    assert isinstance(node, Mapping) and isinstance(node.values["a"], Sequence)
    assert to_plain(node) == {"a": [{"b": "c", "d": ["e", "f"]}]}


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    node, problems = parse('"<<": x\n')
    assert problems == []
    assert to_plain(node) == {"<<": "x"}


def test_every_node_knows_where_it_starts_and_keys_keep_their_order() -> None:
    node, problems = parse("z: 1\na:\n  - {b: ''}\n  - [c, '']\n  -\nm:\n  k: |\n    text\n")
    assert problems == []
    assert isinstance(node, Mapping)
    assert list(node.keys) == ["z", "a", "m"]
    seq = node.values["a"]
    assert isinstance(seq, Sequence) and (seq.mark.line, seq.mark.col) == (3, 3)
    first, inner, empty = seq.items
    assert isinstance(first, Mapping) and (first.line, first.col) == (3, 5)
    assert isinstance(inner, Sequence) and [(i.value, i.style, i.col) for i in inner.items] == [
        ("c", None, 6),
        ("", "'", 9),
    ]
    assert isinstance(empty, Scalar) and empty.value == "" and empty.style is None
    block = node.values["m"].values["k"]  # type: ignore[union-attr]
    assert isinstance(block, Scalar) and block.style == "|" and block.origin == (8, 5) and not block.one_line
    # Empty plain values are "not given" in a mapping, but keep their place in a list.
    assert to_plain(node) == {"z": "1", "a": [{"b": ""}, ["c", ""], None], "m": {"k": "text\n"}}
