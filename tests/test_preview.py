"""The preview (``mkdocs serve --dirty``, :mod:`kb.mkdocs_preview`): a rebuild writes only the pages
whose Markdown changed, and leaves the site folder as a fresh build of the same files would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from support import ROOT, make_project

pytestmark = pytest.mark.site
DRIVER = ROOT / "tests" / "preview_driver.py"
ALPHA = "data/companies/alpha-vision.yaml"
EVENT = "data/events/2017-09-pay-by-face-launch.yaml"
ALWAYS_BUILT = {"404.html"}  # a theme template, not a page: MkDocs renders it at every build


def run_driver(project: Path, site: Path, steps: list[list[list[str]]]) -> list[dict]:
    """Build ``project`` once per step, as serve --dirty does, in a child process."""
    steps_file = project.parent / f"steps-{site.name}.json"
    steps_file.write_text(json.dumps(steps), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(DRIVER), str(project), str(site), str(steps_file)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


def rewritten(before: dict, after: dict) -> set[str]:
    """HTML files the later build wrote (new, or with a new modification time), pages only."""
    return {path for path, mtime in after["html"].items() if before["html"].get(path) != mtime} - ALWAYS_BUILT


def html(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict]]:
    """One preview session over the fixture data, with an edit of each kind between builds."""
    project = make_project(tmp_path_factory.mktemp("preview"))
    contributing = (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    steps = [
        [],  # 0: the first build writes everything
        [],  # 1: nothing changed
        [["replace", "overrides/main.html", "{% extends", "{# edited #}{% extends"]],  # 2: the theme
        [["replace", ALPHA, "summary: |\n", "summary: |\n  Newly edited opening.\n"]],  # 3: one record's text
        [["replace", ALPHA, "name: Alpha Vision\n", "name: Alpha Vision Renamed\n"]],  # 4: a name others show
        [["delete", EVENT]],  # 5: a record removed
        [["write", "CONTRIBUTING.md", contributing + "\nA link to [nowhere](nowhere.md).\n"]],  # 6: fails --strict
        [["replace", ALPHA, "Newly edited", "Edited again"]],  # 7: another edit while the link is still broken
        [["write", "CONTRIBUTING.md", contributing]],  # 8: put back as it was at step 5
    ]
    site = project.parent / "site"
    return project, site, run_driver(project, site, steps)


def test_first_build_writes_every_page_and_an_unchanged_rebuild_writes_none(preview) -> None:
    _, _, builds = preview
    assert all(build["ok"] for build in builds[:6])
    assert len(builds[0]["html"]) > 20
    assert rewritten(builds[0], builds[1]) == set()
    assert any(message.startswith("INFO: Preview: rebuilt 0 of ") for message in builds[1]["log"])


def test_mkdocs_warning_about_dirty_builds_is_replaced_so_strict_previews_pass(preview) -> None:
    _, _, builds = preview
    for build in builds[1:6]:
        assert build["ok"]
        assert not [m for m in build["log"] if m.startswith("WARNING")], build["log"]


def test_a_theme_change_rebuilds_every_page(preview) -> None:
    _, _, builds = preview
    assert rewritten(builds[1], builds[2]) == set(builds[1]["html"]) - ALWAYS_BUILT
    assert "INFO: Preview: mkdocs.yml or the theme changed, so every page is built again" in builds[2]["log"]


def test_an_edit_to_one_records_text_rewrites_its_page_only(preview) -> None:
    _, _, builds = preview
    assert rewritten(builds[2], builds[3]) == {"companies/alpha-vision/index.html"}


def test_a_rename_rewrites_every_page_that_shows_the_name(preview) -> None:
    _, _, builds = preview
    pages = rewritten(builds[3], builds[4])
    assert {"companies/alpha-vision/index.html", "companies/beta-retail/index.html", "companies/index.html"} <= pages
    assert len(pages) < len(builds[4]["html"]) - 5


def test_a_removed_record_leaves_neither_page_nor_search_entry(preview) -> None:
    _, _, builds = preview
    gone = set(builds[4]["html"]) - set(builds[5]["html"])
    assert "events/2017-09-pay-by-face-launch/index.html" in gone
    assert not [loc for loc in builds[5]["search"] if loc.startswith("events/2017-09-pay-by-face-launch/")]
    assert [loc for loc in builds[4]["search"] if loc.startswith("events/2017-09-pay-by-face-launch/")]


def test_search_index_holds_each_entry_once_at_every_build(preview) -> None:
    _, _, builds = preview
    for build in builds:
        repeated = [location for location, n in Counter(build["search"]).items() if n > 1]
        assert repeated == []


def test_a_page_that_failed_strict_is_built_again_until_put_right(preview) -> None:
    """Its warning must not vanish because a later rebuild skipped it as unchanged."""
    _, _, builds = preview
    for failed in builds[6:8]:
        assert not failed["ok"]
        assert any("contains a link 'nowhere.md'" in m for m in failed["log"]), failed["log"]
    assert "contributing/index.html" in rewritten(builds[6], builds[7])
    assert builds[8]["ok"]
    assert "contributing/index.html" in rewritten(builds[7], builds[8])


def test_after_every_edit_the_preview_equals_a_fresh_build_of_the_same_files(preview, tmp_path: Path) -> None:
    project, site, builds = preview
    fresh_project = tmp_path / "project"
    shutil.copytree(project, fresh_project)
    fresh_site = tmp_path / "site"
    (fresh,) = run_driver(fresh_project, fresh_site, [[]])
    assert fresh["ok"]
    assert html(site) == html(fresh_site)
    assert Counter(builds[-1]["search"]) == Counter(fresh["search"])
    index = json.loads((site / "search/search_index.json").read_text())["docs"]
    fresh_index = json.loads((fresh_site / "search/search_index.json").read_text())["docs"]
    assert sorted(json.dumps(doc, sort_keys=True) for doc in index) == sorted(
        json.dumps(doc, sort_keys=True) for doc in fresh_index
    )
