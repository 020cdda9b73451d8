"""Results kept between runs of ./dev validate: a run that uses them reports exactly what a fresh one does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from kb import cache, engine
from kb.engine import Checked, check_data
from kb.load import MAX_FILE_BYTES
from kb.problems import DataError
from support import add_health_concerns, break_in_every_way, write

TODAY = dt.date(2026, 12, 1)


def run(data_dir: Path, store: Path | None, today: dt.date = TODAY, workers: int = 1) -> Checked | list[str]:
    """What a check finds: its result when the data is clean, else every problem as reported."""
    try:
        return check_data(data_dir, today, workers, store)
    except DataError as err:
        return [str(problem) for problem in err.problems]


def files_in(data_dir: Path) -> int:
    return sum(1 for _ in data_dir.glob("*/*.yaml"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store" / "kept.json"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_from_kept_results_reports_the_same_problems(data_dir: Path, store: Path, workers: int) -> None:
    break_in_every_way(data_dir)
    fresh = run(data_dir, None)
    assert isinstance(fresh, list) and len(fresh) == 7
    assert run(data_dir, store, workers=workers) == fresh
    assert store.exists()
    assert run(data_dir, store, workers=workers) == fresh


def test_kept_results_are_used_and_give_the_same_counts_and_health(data_dir: Path, store: Path) -> None:
    add_health_concerns(data_dir)
    fresh = run(data_dir, None)
    first, second = run(data_dir, store), run(data_dir, store)
    assert isinstance(fresh, Checked) and isinstance(first, Checked) and isinstance(second, Checked)
    assert first.examined == first.files == files_in(data_dir)
    assert second.examined == 0 and second.files == first.files
    for checked in (first, second):
        assert checked.counts == fresh.counts
        assert checked.health == fresh.health


def test_only_an_edited_file_is_checked_again(data_dir: Path, store: Path) -> None:
    run(data_dir, store)
    record = data_dir / "companies" / "beta-retail.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("name: ", "name: Edited ", 1), encoding="utf-8")
    checked = run(data_dir, store)
    assert isinstance(checked, Checked) and checked.examined == 1
    record.write_text(record.read_text(encoding="utf-8") + "fonded: 2019\n", encoding="utf-8")
    assert (
        run(data_dir, store)
        == run(data_dir, None)
        == [
            f"data/companies/beta-retail.yaml:{len(record.read_text().splitlines())}:1: "
            "unknown field 'fonded' (did you mean 'founded'?)"
        ]
    )


def test_a_kept_file_is_told_where_its_reference_to_a_removed_record_sits(data_dir: Path, store: Path) -> None:
    """Kept results hold no positions of references: the file is examined afresh to report one."""
    assert isinstance(run(data_dir, store), Checked)
    (data_dir / "sources" / "official-register.yaml").unlink()
    (data_dir / "use-cases" / "pay-by-face.yaml").rename(data_dir / "companies" / "pay-by-face.yaml")
    fresh = run(data_dir, None)
    assert isinstance(fresh, list)
    assert any("unknown id 'official-register'" in problem for problem in fresh)
    assert any("'pay-by-face' is a companies record" in problem for problem in fresh)
    assert run(data_dir, store) == fresh


def test_staleness_is_judged_on_the_day_of_each_run(data_dir: Path, store: Path) -> None:
    now, later = run(data_dir, store), run(data_dir, store, today=dt.date(2030, 1, 1))
    assert isinstance(now, Checked) and isinstance(later, Checked) and later.examined == 0
    assert len(now.health.stale) == 0
    assert len(later.health.stale) == files_in(data_dir)


def test_results_kept_by_other_code_are_not_used(data_dir: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(data_dir, store)
    monkeypatch.setattr(cache, "code_version", lambda: "other code")
    checked = run(data_dir, store)
    assert isinstance(checked, Checked) and checked.examined == checked.files


def test_the_code_version_follows_the_package_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = cache.code_version()
    assert before == cache.code_version()
    package = tmp_path / "kb"
    package.mkdir()
    for source in Path(cache.__file__).parent.glob("*.py"):
        (package / source.name).write_bytes(source.read_bytes())
    (package / "model.py").write_text((package / "model.py").read_text() + "\n# changed\n")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    assert cache.code_version() != before


@pytest.mark.parametrize("damage", ["{not json", '{"format": 1, "version": "x", "files": []}', "[]", ""])
def test_a_damaged_store_is_ignored_and_replaced(data_dir: Path, store: Path, damage: str) -> None:
    store.parent.mkdir(parents=True)
    store.write_text(damage)
    checked = run(data_dir, store)
    assert isinstance(checked, Checked) and checked.examined == checked.files
    kept = json.loads(store.read_text())
    assert kept["version"] == cache.code_version() and len(kept["files"]) == checked.files


def test_an_entry_of_the_wrong_shape_is_checked_afresh(data_dir: Path, store: Path) -> None:
    run(data_dir, store)
    kept = json.loads(store.read_text())
    kept["files"]["data/companies/beta-retail.yaml"] = 5
    kept["files"]["data/companies/alpha-vision.yaml"][0] = "another digest"
    kept["files"]["data/events/2017-09-pay-by-face-launch.yaml"][1] = [["x", "one", 1]]
    kept["files"]["data/laws/example-law.yaml"][3] = "not a mapping"
    kept["files"]["data/sources/official-register.yaml"][2] = [None, None]
    store.write_text(json.dumps(kept))
    checked = run(data_dir, store)
    assert isinstance(checked, Checked) and checked.examined == 5
    fresh = run(data_dir, None)
    assert isinstance(fresh, Checked)
    assert checked.counts == fresh.counts and checked.health == fresh.health


def test_the_store_forgets_removed_files(data_dir: Path, store: Path) -> None:
    run(data_dir, store)
    (data_dir / "sources" / "example-news-2019.yaml").unlink()
    run(data_dir, store)  # now with problems: the file's citations are unknown
    assert "data/sources/example-news-2019.yaml" not in json.loads(store.read_text())["files"]


def test_a_store_that_cannot_be_written_is_skipped(data_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    checked = run(data_dir, blocker / "kept.json")
    assert isinstance(checked, Checked) and checked.examined == checked.files
    assert list(tmp_path.glob("**/.kept.json.*")) == []


def test_a_file_over_the_size_limit_is_never_kept(data_dir: Path, store: Path) -> None:
    huge = write(data_dir, "companies", "huge", "name: " + "x" * MAX_FILE_BYTES + "\n")
    first = run(data_dir, store)
    huge.write_text("name: " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    second = run(data_dir, store)
    assert first == [
        f"data/companies/huge.yaml:1:1: file is {MAX_FILE_BYTES + 7:,} bytes; a record may be at most 262,144"
    ]
    assert second == [
        f"data/companies/huge.yaml:1:1: file is {MAX_FILE_BYTES + 17:,} bytes; a record may be at most 262,144"
    ]
    assert "data/companies/huge.yaml" not in json.loads(store.read_text())["files"]


def test_each_data_folder_has_its_own_store(tmp_path: Path, own_validate_store: Path) -> None:
    one, other = cache.store_for(tmp_path / "a" / "data"), cache.store_for(tmp_path / "b" / "data")
    assert one != other
    assert one.parent == other.parent == own_validate_store
    assert cache.store_for(tmp_path / "a" / ".." / "a" / "data") == one


def test_the_store_holds_no_positions_of_references(data_dir: Path, store: Path) -> None:
    """What makes it small: references are kept by kind, as ids."""
    run(data_dir, store)
    entry = json.loads(store.read_text())["files"]["data/companies/alpha-vision.yaml"]
    digest, problems, facts, references = entry
    assert digest == cache.digest((data_dir / "companies" / "alpha-vision.yaml").read_bytes())
    assert problems == [] and facts[0] == "2026-11-23"
    assert "official-register" in references["sources"].split()


def test_the_file_check_reads_each_file_once(data_dir: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    read_bytes = engine.read_bytes
    monkeypatch.setattr(engine, "read_bytes", lambda file: reads.append(file) or read_bytes(file))
    run(data_dir, store)
    run(data_dir, store)
    assert len(reads) == 2 * files_in(data_dir)
