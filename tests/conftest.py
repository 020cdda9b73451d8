"""Shared fixtures: a known-good data folder and built sites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import GOOD, ROOT, make_project, mkdocs_build


@pytest.fixture(autouse=True)
def own_validate_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps ``./dev validate``'s results in its own folder, never in the user's cache."""
    folder = tmp_path / "kb-cache"
    monkeypatch.setenv("KB_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the known-good fixture data."""
    target = tmp_path / "data"
    shutil.copytree(GOOD, target)
    return target


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site (repository data) built once per test process into a temporary folder."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the small fixture data."""
    project = make_project(tmp_path_factory.mktemp("fixture"))
    site = project / "site"
    result = mkdocs_build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site
