"""`make bench-pages`: measure page latency under load, at ten times real size by
default, against gunicorn and PostgreSQL set up as in production, and write the
figures to docs/benchmarks.md.

It seeds a PostgreSQL database with `manage.py seed_scale` (thidua_bench_pages_x{N},
kept and reused; --reseed drops and builds it again), creates four benchmark accounts
in it (an emulation officer, a leadership user, the head of a unit in a block and the
head of that block's head unit), collects the static files into a temporary folder,
starts gunicorn with DEBUG off, logs every client in over HTTP as a browser does and
requests each page --requests times from --concurrency clients at once, each client
a thread with its own session. Only the standard library talks HTTP.

Not a test: nothing here asserts on timings; the numbers go into the document with
the machine they came from. A response other than 200 stops the run."""

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import queue
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- page-bench:start -->", "<!-- page-bench:end -->"
TARGET_P95_MS = 500
PASSWORD = "Bench-Pages-2024"  # only ever in the throw-away benchmark database
SERVER = "postgres://postgres@127.0.0.1:5432"

# Run with `manage.py shell -c`: the benchmark accounts (created or brought back to
# the same state) and the objects whose pages are measured, as one JSON line.
ACCOUNTS = """
import json, os
from django.db.models import Count, Q
from campaigns.enums import SubmissionState
from campaigns.models import Campaign, Submission
from units.enums import GroupKind, Role
from units.models import EmulationGroup, GroupMembership, Membership, Person, Unit, User

campaign = Campaign.objects.filter(organizer__code="scale-bo").order_by("-year").first()
period = campaign.periods.order_by("-opens_on").first()
block = (
    EmulationGroup.objects.filter(year=campaign.year, kind=GroupKind.BLOCK)
    .filter(code__startswith="scale-").order_by("order", "code").first()
)
members = GroupMembership.objects.filter(group=block).exclude(unit_id=block.head_unit_id)
candidates = Submission.objects.filter(
    period=period, unit__in=members.values("unit_id")
).order_by("unit__order", "pk")
submission = (
    candidates.filter(state=SubmissionState.SUBMITTED).first() or candidates.first()
)
biggest = (
    Unit.objects.filter(campaigns=campaign)
    .annotate(n=Count("people", filter=Q(people__active=True)))
    .order_by("-n", "order", "pk").first()
)

def account(username, full_name, unit=None, **flags):
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"full_name": full_name, "is_active": True, "is_superuser": False,
                  "is_staff": False, "is_emulation_officer": False, "is_leadership": False,
                  "is_council_member": False, **flags},
    )
    user.set_password(os.environ["THIDUA_BENCH_PASSWORD"])
    user.save(update_fields=["password"])
    Membership.objects.filter(user=user).exclude(unit=unit).delete()
    if unit is not None:
        Membership.objects.update_or_create(user=user, unit=unit, defaults={"role": Role.HEAD})
    return user.username

print(json.dumps({
    "users": {
        "officer": account("bench-officer", "Cán bộ thi đua (bench)", is_emulation_officer=True),
        "leadership": account("bench-leader", "Lãnh đạo Bộ (bench)", is_leadership=True),
        "unit_head": account("bench-unit-head", "Thủ trưởng đơn vị (bench)", submission.unit),
        "block_head": account("bench-block-head", "Trưởng khối (bench)", block.head_unit),
    },
    "campaign": campaign.pk,
    "campaign_name": campaign.name,
    "period": period.pk,
    "period_kind": period.kind,
    "submission": submission.pk,
    "submission_state": submission.state,
    "unit": submission.unit.name,
    "block": block.name,
    "group": block.pk,
    "block_members": members.count() + 1,
    "individuals_unit": biggest.pk,
    "individuals_people": biggest.n,
    "units": Unit.objects.filter(code__startswith="scale-u").count(),
    "people": Person.objects.count(),
    "campaigns": Campaign.objects.filter(organizer__code="scale-bo").count(),
}))
"""


# -- the database ------------------------------------------------------------------


def _admin(server: str) -> psycopg.Connection:
    return psycopg.connect(f"{server}/postgres", autocommit=True)


def _is_seeded(server: str, name: str) -> bool:
    try:
        with psycopg.connect(f"{server}/{name}") as conn:
            row = conn.execute("SELECT 1 FROM units_unit WHERE code = 'scale-bo'").fetchone()
    except psycopg.Error:  # no database, or not migrated
        return False
    return row is not None


def _seed_seconds(server: str, name: str) -> float | None:
    with _admin(server) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    match = re.search(r"seeded in ([\d.]+) s", (row and row[0]) or "")
    return float(match.group(1)) if match else None


def _env(db_url: str, workdir: Path, secret_key: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_COOKIES": "False",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "THIDUA_BENCH_PASSWORD": PASSWORD,
    }
    env.pop("CELERY_BROKER_URL", None)  # eager: a page view queues nothing anyway
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(server: str, scale: int, reseed: bool, env: dict) -> float | None:
    """Migrate (and seed, unless already seeded) the benchmark database; return the
    seconds seed_scale took, None when it is unknown."""
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    if reseed or not _is_seeded(server, name):
        with _admin(server) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Seeding {name} (scale {scale}); this takes a few minutes at ×10 …", flush=True)
        _manage(env, "migrate", "--noinput", "-v0")
        started = time.perf_counter()
        print(_manage(env, "seed_scale", "--scale", str(scale)).strip().splitlines()[-1])
        seconds = time.perf_counter() - started
        with _admin(server) as conn:
            conn.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name),
                    sql.Literal(f"thidua page bench, scale {scale}, seeded in {seconds:.1f} s"),
                )
            )
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        return seconds
    print(f"Reusing {name} (already seeded; --reseed builds it again)", flush=True)
    _manage(env, "migrate", "--noinput", "-v0")  # the code may have moved on since
    return _seed_seconds(server, name)


# -- gunicorn --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn() -> list[str]:
    script = Path(sys.executable).with_name("gunicorn")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]
    # Recent versions open a control socket under ~/.gunicorn; the benchmark needs none.
    usage = subprocess.run([*command, "--help"], capture_output=True, text=True).stdout  # noqa: S603
    return [*command, "--no-control-socket"] if "--no-control-socket" in usage else command


def start_gunicorn(env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    with log.open("w") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(  # noqa: S603
            [
                *_gunicorn(),
                "emulation.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            status, _headers, _body = Client(port).request("GET", "/healthz")
            if status == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(process)
    sys.exit(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the clients -----------------------------------------------------------------------


class BenchFailure(Exception):
    pass


@dataclass
class Client:
    """One browser: its own cookies, a new connection per request (gunicorn's sync
    workers close the connection after each response anyway)."""

    port: int
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            sent = {
                "User-Agent": "thidua-page-bench",
                "Accept": "text/html,application/xhtml+xml",
                **(headers or {}),
            }
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for line in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(line).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, data
        finally:
            conn.close()

    def login(self, username: str) -> None:
        status, _headers, body = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match or "csrftoken" not in self.cookies:
            raise BenchFailure(f"{status} on GET /accounts/login/ (no CSRF token)")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": PASSWORD,
                "next": "",
            }
        )
        status, headers, _body = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{self.port}",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise BenchFailure(f"{status} on POST /accounts/login/ as {username}: not logged in")

    def timed_get(self, path: str) -> tuple[float, int]:
        started = time.perf_counter()
        status, _headers, body = self.request("GET", path)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise BenchFailure(f"{status} on GET http://127.0.0.1:{self.port}{path}")
        return elapsed, len(body)


@dataclass
class Page:
    label: str
    role: str
    path: str
    shown: str  # the path with its ids named, for the document


def pages(objects: dict) -> list[Page]:
    campaign, period = objects["campaign"], objects["period"]
    submission, unit = objects["submission"], objects["individuals_unit"]
    group = objects["group"]
    return [
        Page("Home", "officer", "/", "/"),
        Page("Home", "leadership", "/", "/"),
        Page("Home", "unit_head", "/", "/"),
        Page("Home", "block_head", "/", "/"),
        Page("Movements list", "officer", "/campaigns/", "/campaigns/"),
        Page("Latest movement", "officer", f"/campaigns/{campaign}/", "/campaigns/‹movement›/"),
        Page("Review queue", "officer", "/campaigns/review/", "/campaigns/review/"),
        Page(
            "Review queue, latest period",
            "officer",
            f"/campaigns/review/?period={period}",
            "/campaigns/review/?period=‹period›",
        ),
        Page("Review queue", "block_head", "/campaigns/review/", "/campaigns/review/"),
        Page(
            "Self-assessment",
            "unit_head",
            f"/campaigns/submissions/{submission}/",
            "/campaigns/submissions/‹id›/",
        ),
        Page(
            "Review of that self-assessment",
            "officer",
            f"/campaigns/submissions/{submission}/review/",
            "/campaigns/submissions/‹id›/review/",
        ),
        Page(
            "Urging, latest period",
            "officer",
            f"/campaigns/periods/{period}/urging/",
            "/campaigns/periods/‹period›/urging/",
        ),
        Page(
            "Individual assessments",
            "officer",
            f"/campaigns/periods/{period}/units/{unit}/individuals/",
            "/campaigns/periods/‹period›/units/‹unit›/individuals/",
        ),
        Page(
            "Registrations",
            "officer",
            f"/campaigns/{campaign}/registrations/",
            "/campaigns/‹movement›/registrations/",
        ),
        Page(
            "Blocks and clusters, latest period",
            "officer",
            f"/campaigns/periods/{period}/blocks/",
            "/campaigns/periods/‹period›/blocks/",
        ),
        Page(
            "Block's year: progress, ranking",
            "block_head",
            f"/campaigns/periods/{period}/blocks/{group}/",
            "/campaigns/periods/‹period›/blocks/‹block›/",
        ),
        Page(
            "Block scoring of that self-assessment",
            "block_head",
            f"/campaigns/submissions/{submission}/block/",
            "/campaigns/submissions/‹id›/block/",
        ),
        Page(
            "Acclamation (closed)",
            "block_head",
            f"/campaigns/periods/{period}/blocks/{group}/acclamation/",
            "/campaigns/periods/‹period›/blocks/‹block›/acclamation/",
        ),
        Page(
            "Acclamation (closed)",
            "unit_head",
            f"/campaigns/periods/{period}/blocks/{group}/acclamation/",
            "/campaigns/periods/‹period›/blocks/‹block›/acclamation/",
        ),
        *(
            Page(
                f"Block {name} ({extension.upper()})",
                "block_head",
                f"/reports/periods/{period}/blocks/{group}/{document}.{extension}",
                f"/reports/periods/‹period›/blocks/‹block›/{document}.{extension}",
            )
            for document, name in (("scoring", "scoring table"), ("minutes", "minutes"))
            for extension in ("pdf", "xlsx")
        ),
        Page("Reports index", "officer", "/reports/", "/reports/"),
        Page("Reports index", "leadership", "/reports/", "/reports/"),
    ]


ROLE_NAMES = {
    "officer": "emulation officer",
    "leadership": "leadership",
    "unit_head": "unit head",
    "block_head": "block head",
}


def run_page(clients: list[Client], page: Page, requests: int, warmup: int, solo: int) -> dict:
    """Warm up; --solo GETs of one page from one client, one after another (the page's
    own latency, nothing else running); then --requests GETs from every client at once."""

    def burst(count: int, clients: list[Client]) -> tuple[list[float], list[int], float]:
        work: queue.SimpleQueue = queue.SimpleQueue()
        for i in range(count):
            work.put(i)
        failures: list[BenchFailure] = []
        lock = threading.Lock()

        def client_loop(client: Client) -> tuple[list[float], list[int]]:
            times, sizes = [], []
            while not failures:
                try:
                    work.get_nowait()
                except queue.Empty:
                    break
                try:
                    elapsed, size = client.timed_get(page.path)
                except (BenchFailure, OSError) as error:
                    with lock:
                        failures.append(error)
                    break
                times.append(elapsed)
                sizes.append(size)
            return times, sizes

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            results = list(pool.map(client_loop, clients))
        wall = time.perf_counter() - started
        if failures:
            raise BenchFailure(f"{page.label} as {ROLE_NAMES[page.role]}: {failures[0]}")
        return [t for r in results for t in r[0]], [s for r in results for s in r[1]], wall

    if warmup:
        burst(warmup, clients)
    alone = statistics.median(burst(solo, clients[:1])[0]) * 1000 if solo else None
    times, sizes, wall = burst(requests, clients)
    ms = sorted(t * 1000 for t in times)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "page": page.label,
        "role": page.role,
        "path": page.shown,
        "requests": len(ms),
        "concurrency": len(clients),
        "alone_ms": alone and round(alone, 1),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "max_ms": round(ms[-1], 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "rps": round(len(ms) / wall, 1),
        "size_kb": round(statistics.median(sizes) / 1024, 1),
    }


def log_in_all(port: int, roles: set[str], users: dict, concurrency: int) -> dict:
    sessions = {role: [Client(port) for _ in range(concurrency)] for role in sorted(roles)}
    jobs = [(client, users[role]) for role, clients in sessions.items() for client in clients]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda job: job[0].login(job[1]), jobs))
    return sessions


# -- the document ----------------------------------------------------------------------


def machine(server: str) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with _admin(server) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    from importlib.metadata import version

    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"PostgreSQL {postgres}, gunicorn {version('gunicorn')}, Django {version('django')}, "
        f"{platform.system()} {platform.release()}"
    )


# Why a page costs what it costs, from its queries and template (see the commit that
# added this file); quoted in the document when the page misses or nears the target.
CAUSES = {
    ("Registrations", "officer"): (
        "a hundred of the {units:,} participating units to a page ({size:.0f} kB of HTML, "
        "two `{{% url %}}` links per row), counted twice (the page's units, the "
        "registered and participating totals); the time is mostly the template "
        "rendering ({alone:.0f} ms alone)"
    ),
    ("Review queue", "block_head"): (
        "a block head's rows come from `Submission.objects.visible_to`: the user's own "
        "units (a semi-join) or an EXISTS on the block and cluster memberships of the "
        "submission's year headed by a unit the user manages; the page runs it twice "
        "(counts by state, which also give the paginator its count; the page of 50)"
    ),
    ("Review queue", "officer"): (
        "the page of 50 is sorted out of every submission of every year, counted once "
        "by state, then rendered with the filter form"
    ),
    ("Review queue, latest period", "officer"): (
        "counted once by state and rendered with the filter form, like the unfiltered queue"
    ),
}
NEAR = 0.8  # a p95 above this share of the target is called close


def _cause(result: dict, objects: dict) -> str:
    cause = CAUSES.get((result["page"], result["role"]))
    if not cause:
        return ""
    return ": " + cause.format(
        units=objects["units"], size=result["size_kb"], alone=result["alone_ms"] or 0
    )


def _named(result: dict) -> str:
    return f"{result['page'].lower()} as {ROLE_NAMES[result['role']]}"


def verdict(results: list[dict], objects: dict, clients: int) -> str:
    over = [r for r in results if r["p95_ms"] >= TARGET_P95_MS]
    near = [r for r in results if NEAR * TARGET_P95_MS <= r["p95_ms"] < TARGET_P95_MS]
    slowest = max(results, key=lambda r: r["p95_ms"])
    sentences = [
        f"The pages are CPU-bound: the {os.cpu_count()} cores serve gunicorn, PostgreSQL and "
        f"the clients, so with {clients} clients a page's latency under load is about "
        f"{clients} ÷ its throughput, several times its latency alone (one client, nothing "
        "else running)."
    ]
    if over:
        sentences.append(
            f"**{len(over)} of {len(results)} pages "
            f"{'misses' if len(over) == 1 else 'miss'} the target.** "
            + " ".join(
                f"{_named(r).capitalize()}, p95 {r['p95_ms']:.0f} ms (p50 {r['p50_ms']:.0f} ms, "
                f"{r['rps']:.1f} req/s){_cause(r, objects)}."
                for r in over
            )
        )
    else:
        sentences.append(
            f"Every page meets the target; the slowest at p95 is {_named(slowest)} "
            f"({slowest['p95_ms']:.0f} ms){_cause(slowest, objects)}."
        )
    if near:
        sentences.append(
            "Close to the target: "
            + "; ".join(f"{_named(r)} (p95 {r['p95_ms']:.0f} ms){_cause(r, objects)}" for r in near)
            + "."
        )
    return " ".join(sentences)


def section(run: dict, results: list[dict]) -> str:
    objects = run["objects"]
    seed = f"seeded in {run['seed_s']:.0f} s" if run.get("seed_s") else "seed time unknown"
    lines = [
        START,
        "## Page latency under load",
        "",
        f"Measured {dt.datetime.now(dt.UTC).astimezone():%d/%m/%Y} by `make bench-pages` "
        f"(tests/bench/run_page_bench.py) on {run['machine']}, at scale ×{run['scale']} "
        f"({objects['units']:,} units, {objects['people']:,} people, "
        f"{objects['campaigns']} yearly movements; PostgreSQL database {seed}), "
        f"gunicorn with {run['workers']} sync workers, DEBUG off, static files collected. "
        f"For each page: {run['warmup']} warm-up requests; {run['solo']} requests from one "
        f"client alone (the “alone” column, their median); then {run['requests']} requests "
        f"from {run['concurrency']} clients at once, each a thread with its own logged-in "
        "session and a new connection per request. Latency runs from sending the request to "
        "the last byte of the response; the clients run on the same machine as the server "
        "and the database, and share its cores.",
        "",
        f"The latest movement is “{objects['campaign_name']}”, the latest period its "
        f"{objects['period_kind'].replace('_', '-')} period. The self-assessment is that of "
        f"a unit of {objects['block']} ({objects['submission_state']}); the block head heads "
        f"the head unit of that block ({objects['block_members']} units a year). The "
        f"individual assessments are those of a unit of {objects['individuals_people']} "
        "people (50 to a page).",
        "",
        f"Target at ten times real size with {run['concurrency']} concurrent users: "
        f"p95 under {TARGET_P95_MS} ms.",
        "",
        "| page | as | URL | requests | concurrency | alone | p50 | p95 | max | throughput "
        "| size | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ok = r["p95_ms"] < TARGET_P95_MS
        p95 = f"{r['p95_ms']:.0f} ms" if ok else f"**{r['p95_ms']:.0f} ms**"
        alone = f"{r['alone_ms']:.0f} ms" if r["alone_ms"] is not None else "—"
        lines.append(
            f"| {r['page']} | {ROLE_NAMES[r['role']]} | `{r['path']}` | {r['requests']} "
            f"| {r['concurrency']} | {alone} | {r['p50_ms']:.0f} ms | {p95} "
            f"| {r['max_ms']:.0f} ms | {r['rps']:.1f} req/s | {r['size_kb']:.0f} kB "
            f"| {'met' if ok else '**missed**'} |"
        )
    lines += ["", verdict(results, objects, run["concurrency"]), END]
    return "\n".join(lines)


def write(text: str) -> None:
    current = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        DOC.write_text(before + text + rest.split(END, 1)[1])
    else:
        DOC.write_text(current.rstrip() + "\n\n" + text + "\n")


# -- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="1 = real size, 10 = ten times")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=16, help="unmeasured requests per page")
    parser.add_argument("--solo", type=int, default=20, help="requests by one client alone")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL, no database")
    parser.add_argument("--only", help="measure only pages whose label contains this (no write)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.requests < max(2, args.concurrency):
        parser.error("--requests must be at least --concurrency (and at least 2)")
    server = args.server.rstrip("/")
    db_url = f"{server}/thidua_bench_pages_x{args.scale}"

    with tempfile.TemporaryDirectory(prefix="thidua-page-bench-") as tmp:
        workdir = Path(tmp)
        env = _env(db_url, workdir, secrets.token_urlsafe(50))
        seed_seconds = prepare(server, args.scale, args.reseed, env)
        objects = json.loads(_manage(env, "shell", "-c", ACCOUNTS).strip().splitlines()[-1])
        _manage(env, "collectstatic", "--noinput", "-v0")
        chosen = [
            p for p in pages(objects) if not args.only or args.only.lower() in p.label.lower()
        ]
        log = workdir / "gunicorn.log"
        process, port = start_gunicorn(env, args.workers, log)
        results = []
        try:
            print(f"gunicorn on 127.0.0.1:{port} with {args.workers} workers", flush=True)
            sessions = log_in_all(
                port, {p.role for p in chosen}, objects["users"], args.concurrency
            )
            for page in chosen:
                result = run_page(sessions[page.role], page, args.requests, args.warmup, args.solo)
                print(json.dumps(result, ensure_ascii=False), flush=True)
                results.append(result)
        except BenchFailure as failure:
            tail = "\n".join(log.read_text().splitlines()[-40:])
            sys.exit(f"FAILED: {failure}\n--- gunicorn log (last lines) ---\n{tail}")
        finally:
            stop_gunicorn(process)
    run = {
        "scale": args.scale,
        "seed_s": seed_seconds,
        "workers": args.workers,
        "warmup": args.warmup,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "solo": args.solo,
        "machine": machine(server),
        "objects": objects,
    }
    if args.only or args.no_write:
        return
    write(section(run, results))
    print(f"Wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
