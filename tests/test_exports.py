"""Downloads and browser indexes: parseable, complete, and safe in spreadsheets and HTML."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from kb.engine import load_graph
from kb.exports import csv_cell, download_files
from kb.indexes import compare_index, index_files, screening_index
from kb.problems import DataError
from support import GOOD, write

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (True, "true"),
        (["a", "=b"], "a; '=b"),
    ],
)
def test_csv_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_downloads_cover_every_record_and_parse(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "formula",
        "name: =cmd|' /C calc'!A0\nsummary: '@SUM(1+1)'\nsources: [example-news-2019]\nreviewed: 2026-11-23\n",
    )
    graph = load_graph(data_dir)
    files = download_files(graph, "2026-11-23", "")
    data = json.loads(files["downloads/kb.json"])
    assert data["counts"]["companies"] == 3 == len(data["records"]["companies"])
    assert sum(data["counts"].values()) == len(graph.records)
    for kind, records in graph.by_kind.items():
        rows = list(csv.DictReader(io.StringIO(files[f"downloads/{kind}.csv"])))
        assert [row["id"] for row in rows] == [record.id for record in records]
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(files["downloads/companies.csv"]))}
    assert rows["formula"]["name"].startswith("'=")
    assert rows["formula"]["summary"] == "'@SUM(1+1)"
    assert json.loads(rows["alpha-vision"]["sanctions"])[0]["citation"] == "84 FR 54002"
    assert "downloads/schemas/companies.schema.json" in files


def test_atom_feed_has_what_rfc_4287_requires() -> None:
    graph = load_graph(GOOD)
    feed = ET.fromstring(download_files(graph, "2026-11-23", "https://kb.example.org/")["downloads/events.atom"])
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 2
    for entry in entries:
        for required in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.findtext(f"{ATOM}updated").endswith("T00:00:00Z")
    assert entries[0].findtext(f"{ATOM}title") == "2019-10-07: Alpha Vision added to the Entity List"
    assert entries[1].findtext(f"{ATOM}published") == "2017-09-01T00:00:00Z"
    assert entries[0].findtext(f"{ATOM}summary") == "The regulator listed Alpha Vision on 7 October 2019."


def test_browser_indexes_escape_script_endings(data_dir: Path) -> None:
    write(
        data_dir,
        "companies",
        "closer",
        'name: Closer\naliases: ["x</script><script>alert(1)//"]\nsources: [example-news-2019]\nreviewed: 2026-11-23\n',
    )
    # Names refuse < and > outright, so the payload cannot even reach the index.
    with pytest.raises(DataError) as caught:
        load_graph(data_dir)
    assert "must not contain <, >" in str(caught.value.problems[0])


def test_compare_index_carries_dated_listings_and_the_none_found_line() -> None:
    entries = {entry["id"]: entry for entry in compare_index(load_graph(GOOD))}
    listed = entries["alpha-vision"]["sanctions"]
    assert listed["active"] is True
    assert listed["listings"][0]["listed_on"] == "2019-10-07"
    assert listed["listings"][0]["citation"] == "84 FR 54002"
    assert entries["beta-retail"]["sanctions"]["summary"] == "No listing found as of 2026-11-23"


def test_screening_index_maps_name_keys_to_companies() -> None:
    index = screening_index(load_graph(GOOD))
    names = [company["id"] for company in index["companies"]]
    matched = {key: names[m[0]["c"]] for key, m in index["keys"].items()}
    assert matched["alphavision"] == "alpha-vision"
    assert matched["阿尔法视觉科技"] == "alpha-vision"
    assert matched["aerfashijue"] == "alpha-vision"  # pinyin generated and given as an alias
    assert "有限公司" in index["chinese_suffixes"] and "ltd" in index["latin_suffixes"]
    assert set(index_files(load_graph(GOOD))) == {"assets/kb/compare.json", "assets/kb/screening.json"}
