"""Benchmark the build against the floor MkDocs itself needs, at several data sizes.

    ./dev bench                      # sizes 0.25, 0.5 and 1, one run each; prints a Markdown table
    ./dev bench --runs 3             # medians of three runs at the smaller sizes (about twice as long)
    ./dev bench --runs 3 --largest-runs 3   # medians at every size, in three rounds (about three times)
    ./dev bench --sizes 0.1          # a quick look
    ./dev bench --update-docs        # also writes the table into docs/performance.md

For each size it generates a synthetic data set (tests/bench/generate.py) and measures:
the full build with the hooks; the *floor*, the same theme and configuration building the
same generated pages written out as plain files with no hooks; the hooks' own time by step
(they write it when KB_PROFILE names a file); validation alone, from scratch (``--no-cache``)
and again after an edit to one record (from the results the run before kept); peak memory; site size,
median and largest page; and the search index a reader's first search downloads. Times are
medians over ``--runs`` runs, made in rounds that build every size once in turn, so that the
machine's drift over the run reaches every size alike. Numbers, not assertions: nothing here
fails on a slow machine.

The build and its floor run side by side, one per core (``--one-at-a-time`` to run them in
turn): MkDocs builds on one core, so this halves the wall time, and each pair sees the same
state of the machine. Side by side, the build's hooks are kept to one process (``KB_WORKERS=1``)
so that they do not take time from the floor; validation alone runs by itself, with every core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

# Runs one MkDocs build in a fresh interpreter and reports its time and its memory status, from
# which the parent reads the peak (VmHWM). Not ru_maxrss: Linux carries that over exec from the
# process that started the child, so a small build would report the benchmark's own size (443 MB
# for the 0.25x build, against its own 394 MB). VmHWM belongs to the interpreter's memory alone.
BUILD = """
import json, resource, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
started = time.perf_counter()
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
seconds = time.perf_counter() - started
try:
    with open("/proc/self/status", encoding="utf-8") as status:
        memory = status.read()
except OSError:  # not Linux
    memory = None
print(json.dumps({"seconds": seconds, "status": memory,
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
PROJECT_FILES = ("mkdocs.yml", "CONTRIBUTING.md", "docs", "hooks", "overrides")
# Validation alone takes seconds, so it is always timed several times (median).
VALIDATE_RUNS = 3
MARKERS = ("<!-- benchmark:start -->", "<!-- benchmark:end -->")


def make_project(base: Path, scale: float) -> Path:
    project = base / f"scale-{scale}"
    project.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / name)
    generate(project / "data", scale)
    return project


def make_floor(project: Path) -> Path:
    """The same site as plain files: generated pages and data files in docs/, no hooks."""
    from kb.engine import load_graph
    from kb.exports import download_files
    from kb.indexes import index_files
    from kb.pages import all_pages

    floor = project.parent / f"{project.name}-floor"
    shutil.copytree(project / "docs", floor / "docs")
    shutil.copytree(project / "overrides", floor / "overrides")
    graph = load_graph(project / "data")
    files = {page.path: page.markdown for page in all_pages(graph)}
    files["contributing.md"] = (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    files.update(download_files(graph, "2026-11-23", ""))
    files.update(index_files(graph))
    for path, content in files.items():
        target = floor / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", config)
    config = config.replace("    omitted_files: info", "    omitted_files: ignore")
    (floor / "mkdocs.yml").write_text(config, encoding="utf-8")
    return floor


def run_build(project: Path, profile: Path | None = None, cores: int | None = None) -> dict:
    """One build in a fresh interpreter; ``cores`` caps the processes the hooks may use."""
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cores:
        env["KB_WORKERS"] = str(cores)
    if profile:
        env["KB_PROFILE"] = str(profile)
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(project / "mkdocs.yml"), str(site)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stderr[-3000:]}")
    reported = json.loads(result.stdout.strip().splitlines()[-1])
    status = reported["status"]
    measured = {"seconds": reported["seconds"], "peak_kib": hwm_kib(status) if status else reported["maxrss_kib"]}
    if profile:
        measured["hooks"] = json.loads(profile.read_text())
    return measured


def validate_seconds(project: Path, *options: str) -> float:
    """Wall time of ``python -m kb validate`` (interpreter start included), with its results kept in the project."""
    env = {**os.environ, "PYTHONPATH": str(project / "hooks"), "KB_CACHE_DIR": str(project / "kb-cache")}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "kb", "validate", *options, str(project / "data")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stdout[-3000:])
    return time.perf_counter() - started


def validate_after_edit_seconds(project: Path, runs: int) -> float:
    """Median time to validate again after an edit to one record, from the results kept by the run before."""
    validate_seconds(project)  # keeps every file's results
    record = project / "data" / "companies" / "company-00001.yaml"
    times = []
    for run in range(runs):
        with record.open("a", encoding="utf-8") as out:
            out.write(f"# edit {run}\n")
        times.append(validate_seconds(project))
    return statistics.median(times)


def site_metrics(site: Path) -> dict:
    pages = sorted((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))
    index = site / "search" / "search_index.json"
    raw = index.read_bytes()
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {
        "pages": len(pages),
        "site_mb": total / 1e6,
        "median_page_kb": statistics.median(size for size, _ in pages) / 1e3,
        "largest_page_kb": pages[-1][0] / 1e3,
        "largest_page": pages[-1][1],
        "search_mb": len(raw) / 1e6,
        "search_gzip_mb": len(gzip.compress(raw)) / 1e6,
    }


def serve_rebuild(project: Path, timeout: float = 600, start_timeout: float = 1800) -> dict:
    """Seconds from saving one edited record to the page showing it under mkdocs serve, and the
    serve process's peak memory over its first build and that rebuild (MB)."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        # As ./dev serve runs it: --dirty, so a rebuild writes only the pages whose content changed.
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--strict",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(project / "mkdocs.yml"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    record = project / "data" / "companies" / "company-00000.yaml"
    url = f"http://127.0.0.1:{port}/companies/company-00000/"

    def shows(text: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return text in response.read().decode("utf-8")
        except OSError:
            return False

    try:
        deadline = time.monotonic() + start_timeout  # the first build is a full one
        while not shows("</html>"):
            if time.monotonic() > deadline:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(1)
        record.write_text(record.read_text(encoding="utf-8").replace('name: "', 'name: "Edited ', 1), encoding="utf-8")
        started = time.monotonic()
        while not shows("Edited "):
            if time.monotonic() > started + timeout:
                raise SystemExit("the edit never showed")
            time.sleep(0.2)
        seconds = time.monotonic() - started
        return {"seconds": seconds, "peak_mb": peak_kib(server.pid) / 1024}
    finally:
        server.terminate()
        server.wait(timeout=30)


def peak_kib(pid: int) -> int:
    """A running process's peak resident memory so far (Linux), in KiB."""
    return hwm_kib(Path(f"/proc/{pid}/status").read_text(encoding="utf-8"))


def hwm_kib(status: str) -> int:
    """The peak resident memory (KiB) a ``/proc/<pid>/status`` text gives."""
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))


class Size(NamedTuple):
    """One size's generated project and its floor, made before any build is timed."""

    scale: float
    project: Path
    floor: Path
    prepare_s: float


def prepare(scale: float, base: Path) -> Size:
    started = time.perf_counter()
    project = make_project(base, scale)
    floor = make_floor(project)
    return Size(scale, project, floor, time.perf_counter() - started)


def start_fresh(size: Size) -> None:
    """Put both builds where a first build after a checkout starts: no output folder yet, and the
    input files in the page cache. Here the cache keeps little, so the other sizes' builds evict
    these files; read cold, the hooks' loading took nearly twice as long at 1× (4.9 s, not 2.7 s).
    An existing site would also be removed at the end of the build (5 s at 1×), as MkDocs alone
    empties it at the start: the same work in both, but counted in the hooks' share."""
    for project in (size.project, size.floor):
        shutil.rmtree(project / "site", ignore_errors=True)
        for file in project.rglob("*"):
            if file.is_file():
                file.read_bytes()


def run_pair(size: Size, side_by_side: bool) -> tuple[dict, dict]:
    """One build of the project (with the hooks' profile) and one of its floor."""
    start_fresh(size)
    profile = size.project.parent / f"{size.project.name}-profile.json"
    with ThreadPoolExecutor(2 if side_by_side else 1) as pool:  # threads only wait for the builds
        # Beside its floor, the build keeps to one core: the other one is the floor's.
        build = pool.submit(run_build, size.project, profile, 1 if side_by_side else None)
        floor_build = pool.submit(run_build, size.floor)
        return build.result(), floor_build.result()


def run_rounds(sizes: list[Size], runs: dict[float, int], side_by_side: bool) -> dict[float, list[tuple[dict, dict]]]:
    """Every size's pairs, in rounds: each round builds each size that still needs a run, smallest
    first. The machine's speed drifts by up to half within an hour here; interleaved, every size's
    median spans the same stretch of time, where runs in blocks would put each size in its own."""
    pairs: dict[float, list[tuple[dict, dict]]] = {size.scale: [] for size in sizes}
    for round_number in range(max(runs.values())):
        for size in sizes:
            if round_number < runs[size.scale]:
                started = time.perf_counter()
                pairs[size.scale].append(run_pair(size, side_by_side))
                print(
                    f"round {round_number + 1}: {size.scale}× in {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
    return pairs


def measure(size: Size, pairs: list[tuple[dict, dict]], serve: bool) -> dict:
    """The size's row: medians of its pairs, then validation, site metrics and (optionally) serve."""
    builds = [build for build, _ in pairs]
    floors = [floor for _, floor in pairs]
    project = size.project
    hooks = {step: statistics.median(b["hooks"].get(step, 0.0) for b in builds) for step in builds[0]["hooks"]}
    build = statistics.median(b["seconds"] for b in builds)
    floor_seconds = statistics.median(f["seconds"] for f in floors)
    row = {
        "scale": size.scale,
        "records": sum(len(list((project / "data" / kind).glob("*.yaml"))) for kind in os.listdir(project / "data")),
        "build_s": build,
        "floor_s": floor_seconds,
        "builds_s": [b["seconds"] for b in builds],
        "floors_s": [f["seconds"] for f in floors],
        "ratio": build / floor_seconds,
        "hooks_s": sum(hooks.values()),
        "hooks_share": sum(hooks.values()) / build,
        "hook_steps": hooks,
        "validate_s": statistics.median(
            validate_seconds(project, "--no-cache") for _ in range(max(len(pairs), VALIDATE_RUNS))
        ),
        "validate_kept_s": validate_after_edit_seconds(project, max(len(pairs), VALIDATE_RUNS)),
        "peak_mb": max(b["peak_kib"] for b in builds) / 1024,
        "runs": len(pairs),
        "prepare_s": size.prepare_s,
        **site_metrics(project / "site"),
    }
    if serve:
        rebuild = serve_rebuild(project)
        row["serve_rebuild_s"], row["serve_peak_mb"] = rebuild["seconds"], rebuild["peak_mb"]
    shutil.rmtree(project)
    shutil.rmtree(size.floor)
    return row


def table(rows: list[dict], elapsed: float, side_by_side: bool) -> str:
    lines = [
        "| Size | Records | Build | Floor | Build ÷ floor | Hooks | Hooks' share | Validate only | After one edit | Peak memory "
        "| Pages | Site | Median page | Largest page | First search (gzip) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['scale']}× | {r['records']:,} | {r['build_s']:.1f} s | {r['floor_s']:.1f} s | {r['ratio']:.2f} "
            f"| {r['hooks_s']:.1f} s | {r['hooks_share']:.0%} | {r['validate_s']:.1f} s | {r['validate_kept_s']:.1f} s "
            f"| {r['peak_mb']:,.0f} MB "
            f"| {r['pages']:,} | {r['site_mb']:.0f} MB | {r['median_page_kb']:.0f} KB | {r['largest_page_kb']:.0f} KB "
            f"| {r['search_mb']:.1f} MB ({r['search_gzip_mb']:.1f} MB) |"
        )
    steps = rows[-1]["hook_steps"]
    lines.append("")
    lines.append(
        f"Hooks' time by step at {rows[-1]['scale']}×: " + "; ".join(f"{k} {v:.1f} s" for k, v in steps.items()) + "."
    )
    if len(rows) >= 2 and rows[-2]["scale"] * 2 == rows[-1]["scale"]:
        # The floor's growth beside the build's tells the hooks' share of it from MkDocs' and the machine's.
        lines.append(growth_line(rows[-2], rows[-1]))
    runs = ", ".join(f"{r['runs']} at {r['scale']}×" for r in rows)
    how = "side by side, one per core" if side_by_side else "one at a time"
    lines.append(
        f"Runs per size (medians): {runs}; validation alone at least {VALIDATE_RUNS}; builds and floors {how}; "
        f"whole benchmark {elapsed / 60:.1f} minutes."
    )
    if "serve_rebuild_s" in rows[-1]:
        lines.append(
            f"Under `./dev serve` at {rows[-1]['scale']}×, an edit to one record shows after "
            f"{rows[-1]['serve_rebuild_s']:.1f} s; the serve process peaks at {rows[-1]['serve_peak_mb']:,.0f} MB."
        )
    return "\n".join(lines)


def growth_line(smaller: dict, larger: dict) -> str:
    """The build's growth between two sizes beside the floor's, and, with several rounds, each
    round's own: its two builds ran minutes apart, so it shows how much of the spread is drift."""
    line = (
        f"Build time from {smaller['scale']}× to {larger['scale']}× grows {larger['build_s'] / smaller['build_s']:.2f}× "
        f"(the floor's {larger['floor_s'] / smaller['floor_s']:.2f}×)"
    )
    rounds = list(zip(smaller["builds_s"], larger["builds_s"], strict=False))
    if len(rounds) >= 2:
        floors = zip(smaller["floors_s"], larger["floors_s"], strict=False)
        line += "; round by round, the build " + ", ".join(f"{b / a:.2f}×" for a, b in rounds)
        line += " and the floor " + ", ".join(f"{b / a:.2f}×" for a, b in floors)
    return line + "."


def update_docs(text: str) -> None:
    page = ROOT / "docs" / "performance.md"
    content = page.read_text(encoding="utf-8")
    start, end = MARKERS
    before, rest = content.split(start, 1)
    after = rest.split(end, 1)[1]
    page.write_text(f"{before}{start}\n{text}\n{end}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    # One run each by default: with three, the command takes about twice its ten-minute budget here.
    parser.add_argument("--runs", type=int, default=1, help="runs at each size but the largest (medians)")
    parser.add_argument("--largest-runs", type=int, default=1, help="runs at the largest size (slow)")
    parser.add_argument("--serve", action="store_true", help="also time a serve rebuild at the largest size")
    parser.add_argument("--one-at-a-time", action="store_true", help="run each build and its floor in turn")
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args()
    side_by_side = not args.one_at_a_time and (os.cpu_count() or 1) >= 2
    largest = max(args.sizes)
    runs = {scale: args.largest_runs if scale == largest else args.runs for scale in args.sizes}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as folder:
        sizes = [prepare(scale, Path(folder)) for scale in sorted(set(args.sizes))]
        pairs = run_rounds(sizes, runs, side_by_side)
        rows = [measure(size, pairs[size.scale], args.serve and size.scale == largest) for size in sizes]
    text = table(rows, time.perf_counter() - began, side_by_side)
    print(text)
    if args.update_docs:
        update_docs(text)


if __name__ == "__main__":
    main()
