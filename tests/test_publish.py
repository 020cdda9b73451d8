"""Publishing a staged build: the old site is replaced only by a finished one."""

from __future__ import annotations

from pathlib import Path

from kb import publish


def test_swap_replaces_the_site_with_the_staged_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    staging = publish.prepare(site)
    assert staging.parent == tmp_path and staging.name.startswith(".") and list(staging.iterdir()) == []
    (staging / "new.html").write_text("new")
    publish.swap(staging, site)
    assert [p.name for p in site.iterdir()] == ["new.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_prepare_clears_a_staging_folder_left_by_a_crash(tmp_path: Path) -> None:
    site = tmp_path / "site"
    leftover = publish.staging_dir(site)
    leftover.mkdir()
    (leftover / "half.html").write_text("half")
    assert list(publish.prepare(site).iterdir()) == []


def test_discard_leaves_the_site_alone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("good")
    staging = publish.prepare(site)
    (staging / "index.html").write_text("bad")
    publish.discard(staging)
    assert (site / "index.html").read_text() == "good"
    assert not staging.exists()


def test_first_build_has_no_previous_site(tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    staging = publish.prepare(site)
    (staging / "index.html").write_text("first")
    publish.swap(staging, site)
    assert (site / "index.html").read_text() == "first"
