"""The synthetic data generator writes valid, linked data that builds (small size; no timing here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.generate import PER_SCALE, generate
from kb.engine import load_graph
from support import make_project, mkdocs_build


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("bench") / "data"
    generate(data, 0.01)
    return data


def test_generated_data_validates_with_every_kind_and_relation(small: Path) -> None:
    graph = load_graph(small)
    for kind, count in PER_SCALE.items():
        assert len(graph.by_kind[kind]) == max(1, round(count * 0.01)), kind
    companies = graph.by_kind["companies"]
    assert all(c.model.deployments and c.model.investments and c.model.name_zh for c in companies)
    assert any(c.model.sanctions for c in companies)
    assert all(law.model.provisions for law in graph.by_kind["laws"])
    assert all(event.model.involves for event in graph.timeline)
    assert graph.backlinks  # densely cross-referenced


def test_generation_is_deterministic(tmp_path: Path, small: Path) -> None:
    generate(tmp_path / "again", 0.01)
    for file in sorted(small.rglob("*.yaml"))[:50]:
        assert (tmp_path / "again" / file.relative_to(small)).read_text() == file.read_text()


def test_generated_site_builds_strict(tmp_path: Path, small: Path) -> None:
    project = make_project(tmp_path, small)
    result = mkdocs_build(project / "mkdocs.yml", project / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (project / "site/companies/company-00000/index.html").exists()


def test_table_reports_the_build_and_floor_growth_side_by_side() -> None:
    from bench.benchmark import table

    def row(scale: float, build: float, floor: float) -> dict:
        return {
            "scale": scale,
            "records": 100,
            "build_s": build,
            "floor_s": floor,
            "builds_s": [build],
            "floors_s": [floor],
            "ratio": build / floor,
            "hooks_s": 1.0,
            "hooks_share": 1.0 / build,
            "hook_steps": {"load": 1.0},
            "validate_s": 0.5,
            "validate_kept_s": 0.2,
            "peak_mb": 300.0,
            "runs": 1,
            "pages": 120,
            "site_mb": 3.0,
            "median_page_kb": 20.0,
            "largest_page_kb": 90.0,
            "search_mb": 0.1,
            "search_gzip_mb": 0.02,
        }

    text = table([row(0.5, 100.0, 100.0), row(1.0, 210.0, 200.0)], elapsed=90.0, side_by_side=True)
    assert "Build time from 0.5× to 1.0× grows 2.10× (the floor's 2.00×)." in text
    assert "| 1.0× | 100 | 210.0 s | 200.0 s | 1.05 |" in text
    assert "whole benchmark 1.5 minutes" in text


def test_growth_line_gives_each_rounds_growth_when_there_are_several() -> None:
    from bench.benchmark import growth_line

    def size(scale: float, builds: list[float], floors: list[float]) -> dict:
        return {"scale": scale, "build_s": builds[1], "floor_s": floors[1], "builds_s": builds, "floors_s": floors}

    smaller = size(0.5, [90.0, 100.0, 110.0], [95.0, 95.0, 100.0])
    larger = size(1.0, [180.0, 210.0, 275.0], [190.0, 200.0, 250.0])
    assert growth_line(smaller, larger) == (
        "Build time from 0.5× to 1.0× grows 2.10× (the floor's 2.11×); "
        "round by round, the build 2.00×, 2.10×, 2.50× and the floor 2.00×, 2.11×, 2.50×."
    )
    one_round = {**larger, "builds_s": [210.0], "floors_s": [200.0]}
    assert growth_line({**smaller, "builds_s": [100.0]}, one_round).endswith("(the floor's 2.11×).")


def test_rounds_interleave_the_sizes_so_drift_is_shared(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bench import benchmark

    order = []

    def fake_pair(size: benchmark.Size, side_by_side: bool) -> tuple[dict, dict]:
        order.append(size.scale)
        return {"seconds": len(order)}, {"seconds": len(order)}

    monkeypatch.setattr(benchmark, "run_pair", fake_pair)
    sizes = [benchmark.Size(scale, tmp_path, tmp_path, 0.0) for scale in (0.25, 0.5, 1.0)]
    pairs = benchmark.run_rounds(sizes, {0.25: 3, 0.5: 3, 1.0: 2}, side_by_side=True)
    assert order == [0.25, 0.5, 1.0, 0.25, 0.5, 1.0, 0.25, 0.5]
    assert [build["seconds"] for build, _ in pairs[1.0]] == [3, 6]
    assert len(pairs[0.25]) == 3


def test_each_pair_starts_without_an_output_folder_and_keeps_its_inputs(tmp_path: Path) -> None:
    from bench import benchmark

    size = benchmark.Size(1.0, tmp_path / "project", tmp_path / "floor", 0.0)
    for project in (size.project, size.floor):
        (project / "site" / "old").mkdir(parents=True)
        (project / "site" / "old" / "index.html").write_text("stale")
        (project / "docs").mkdir()
        (project / "docs" / "index.md").write_text("# Home")
    benchmark.start_fresh(size)
    for project in (size.project, size.floor):
        assert not (project / "site").exists()
        assert (project / "docs" / "index.md").read_text() == "# Home"


def test_a_build_reports_its_own_peak_memory_not_the_benchmarks(tmp_path: Path, small: Path) -> None:
    from bench.benchmark import run_build

    project = make_project(tmp_path, small)
    # The benchmark process grows as it prepares the sizes; a build it starts must not report that.
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"x" * len(range(0, len(ballast), 4096))  # touch every page, so it is resident
    measured = run_build(project)
    del ballast
    assert 50 * 1024 < measured["peak_kib"] < 400 * 1024
    assert measured["seconds"] > 0
