"""`make bench`: time the year-end report build (PDF and XLSX) and its peak memory at
real size and at ten times, and write the figures to docs/benchmarks.md.

For each scale it seeds an SQLite database with `manage.py seed_scale` (kept under
--dir and reused; --reseed builds it again), then runs build_once.py --runs times in
fresh processes and keeps the median time and the largest peak. Not a test: nothing
here asserts; the numbers go into the document with the machine they came from."""

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- report-bench:start -->", "<!-- report-bench:end -->"
TARGET_SECONDS, TARGET_MB = 30, 500


def _env(db: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_DEBUG": "True",
        "DJANGO_MEDIA_ROOT": str(db.parent / "thidua-bench-media"),
    }
    env.pop("CELERY_BROKER_URL", None)  # eager: nothing is queued anyway
    return env


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def seed(scale: int, directory: Path, reseed: bool) -> tuple[Path, float | None]:
    db = directory / f"thidua-bench-x{scale}.sqlite3"
    timing = db.with_suffix(".seed-seconds")
    if db.exists() and not reseed:
        return db, float(timing.read_text()) if timing.exists() else None
    for leftover in directory.glob(f"{db.stem}*"):
        leftover.unlink()
    env = _env(db)
    _manage(env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    print(_manage(env, "seed_scale", "--scale", str(scale)).strip().splitlines()[-1])
    seconds = time.perf_counter() - started
    timing.write_text(f"{seconds:.1f}")
    return db, seconds


def measure(db: Path, runs: int) -> dict:
    samples = []
    for _ in range(runs):
        out = subprocess.run(  # noqa: S603
            [sys.executable, str(Path(__file__).with_name("build_once.py"))],
            cwd=ROOT,
            env=_env(db),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        samples.append(json.loads(out.strip().splitlines()[-1]))
    best = samples[0]
    best["runs"] = runs
    best["total_s"] = round(statistics.median(s["total_s"] for s in samples), 2)
    best["total_all_s"] = [s["total_s"] for s in samples]
    best["peak_rss_mb"] = max(s["peak_rss_mb"] for s in samples)
    for phase in best["phases_s"]:
        best["phases_s"][phase] = round(statistics.median(s["phases_s"][phase] for s in samples), 2)
    return best


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def section(results: list[dict]) -> str:
    lines = [
        START,
        "## Report build (year-end, PDF and XLSX)",
        "",
        f"Measured {dt.datetime.now(dt.UTC).astimezone():%d/%m/%Y} by `make bench` "
        f"(tests/bench/run_report_bench.py) on "
        f"{machine()}. Each figure is the median of the runs, each run a fresh process "
        "building the latest year-end report of the seeded ministry with "
        "`reports.builder.run_build` (claim, figures, charts, PDF, XLSX, files saved); "
        "peak memory is the process's maximum resident set (getrusage), which includes "
        "Python, Django and WeasyPrint themselves (the baseline column).",
        "",
        f"Target at ten times real size: under {TARGET_SECONDS} s and under {TARGET_MB} MB.",
        "",
        "| scale | units | blocks and clusters | people | seed | build | figures | PDF "
        "| XLSX | peak memory | baseline | PDF pages | PDF | XLSX |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        seed_time = f"{r['seed_s']:.0f} s" if r.get("seed_s") else "(reused)"
        lines.append(
            f"| ×{r['scale']} | {r['units']:,} | {r['groups']} | {r['people']:,} | {seed_time} "
            f"| **{r['total_s']:.1f} s** | {r['phases_s']['context']:.2f} s "
            f"| {r['phases_s']['pdf']:.1f} s | {r['phases_s']['xlsx']:.2f} s "
            f"| **{r['peak_rss_mb']:.0f} MB** | {r['baseline_rss_mb']:.0f} MB | {r['pdf_pages']} "
            f"| {r['pdf_kb']} kB | {r['xlsx_kb']} kB |"
        )
    lines += [
        "",
        "Runs (build seconds): "
        + "; ".join(f"×{r['scale']}: {', '.join(map(str, r['total_all_s']))}" for r in results)
        + ".",
        "",
        "The seeded data (`manage.py seed_scale --scale N`): N × 100 units (60 % under the "
        "ministry in blocks, 40 % provincial departments in clusters), 4 × N blocks and "
        "clusters per year, N × 10,000 people, three yearly movements of six contents and "
        "thirty collective criteria, both periods answered (85 % accepted, 7 % submitted, "
        "3 % returned, 2 % draft, 3 % missing; 10 % late) and every person assessed at year "
        "end. The PDF time dominates: WeasyPrint lays out every page of the annex (one row "
        "per unit); the figures themselves are eight aggregate queries.",
        END,
    ]
    return "\n".join(lines)


def write(text: str) -> None:
    if DOC.exists():
        current = DOC.read_text()
        if START in current and END in current:
            before, rest = current.split(START, 1)
            after = rest.split(END, 1)[1]
            DOC.write_text(before + text + after)
            return
        DOC.write_text(current.rstrip() + "\n\n" + text + "\n")
        return
    DOC.write_text("# Benchmarks\n\n" + text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales:
        db, seed_seconds = seed(scale, args.dir, args.reseed)
        result = {"scale": scale, "seed_s": seed_seconds, **measure(db, args.runs)}
        print(json.dumps(result))
        results.append(result)
    if not args.no_write:
        write(section(results))
        print(f"Wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
