"""API load: POST /api/assess against a real `chinacomply serve` on loopback, bounded in count
and time, with the in-process cost of the same decision beside it.

Starts `python -m chinacomply serve` on a temporary CHINACOMPLY_HOME, creates a read token,
warms up, then drives it from a separate process with an asyncio client speaking raw HTTP/1.1
over keep-alive connections (a client an order of magnitude cheaper than the server, so that it
is not what is measured). Prints requests/s, latency percentiles, errors and the CPU both sides
spent per request, against the targets of issue 6: >= 500 req/s and p99 < 50 ms on 2 cores.
Targets are printed, not asserted: this is a benchmark, not a test. Run from the repository root:

    .venv/bin/python benchmarks/api_bench.py [--workers 2] [--concurrency 32]
        [--requests 5000] [--seconds 30] [--layout shared|split|both]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
FACTS_FILE = ROOT / "examples" / "transfer.yaml"
EXPECTED_PATHWAY = "standard_contract_or_certification"
# Starlette's JSONResponse writes compact JSON, so every good body contains these bytes.
PATHWAY_MARK = f'"pathway":"{EXPECTED_PATHWAY}"'.encode()
TARGET_RPS = 500.0
TARGET_P99_MS = 50.0
HOST = "127.0.0.1"  # loopback only, whatever else the machine has
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    """A port nothing listens on now (uvicorn's parent binds it for all workers, so port 0
    cannot be handed to it: the port would be unknown)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def chinacomply(*args: str, env: dict[str, str]) -> str:
    """Run the CLI of this interpreter; its stdout, or exit with its stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "chinacomply", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"chinacomply {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def pinned(cpus: set[int] | None) -> Iterator[None]:
    """This process (and what it starts meanwhile) on `cpus`; children inherit the mask."""
    if cpus is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def workers(self) -> list[int]:
        """The uvicorn worker processes (spawned children of the one we started; not its
        resource tracker), or the process itself when it serves alone."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                parent = int(stat.rpartition(")")[2].split()[1])
                if parent == self.process.pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
        return found or [self.process.pid]

    def stop(self) -> None:
        """SIGTERM to the server's own process group (it was started in a new session), then
        SIGKILL if it has not gone after 10 s."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def start_server(
    port: int, workers: int, env: dict[str, str], cpus: set[int] | None, log: Path
) -> Server:
    command = [sys.executable, "-m", "chinacomply", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with pinned(cpus), log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Server(process, port, log)


def wait_healthy(server: Server, timeout: float = 60.0) -> None:
    """Poll /health until it answers 200; fail with the server's log if it dies or stalls."""
    deadline = time.monotonic() + timeout
    request = f"GET /health HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited ({server.process.returncode}):\n{tail(server.log)}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, server.port), 1) as s:
            s.sendall(request)
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                return
        time.sleep(0.1)
    raise RuntimeError(f"server not healthy after {timeout:.0f} s:\n{tail(server.log)}")


def wait_workers(server: Server, count: int, timeout: float = 60.0) -> list[int]:
    """The worker pids once all `count` are up (/health answers as soon as the first is)."""
    deadline = time.monotonic() + timeout
    while True:
        pids = server.workers()
        if count == 1 or len(pids) >= count or time.monotonic() > deadline:
            return pids
        time.sleep(0.1)


def tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used (from /proc; gone processes add 0)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (from /proc/stat): with the server's
    and the client's own share taken out, what else ran during the measurement."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


# --- the client (its own process) -----------------------------------------------------------


@dataclass
class Phase:
    """One bounded run: at most `budget` requests and `seconds` of wall time."""

    budget: int
    seconds: float
    deadline: float = 0.0
    latencies_ns: list[int] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    first_body: bytes = b""

    def take(self) -> bool:
        if self.budget <= 0 or time.perf_counter() >= self.deadline:
            return False
        self.budget -= 1
        return True


def assess_request(port: int, token: str, body: bytes) -> bytes:
    head = (
        f"POST /api/assess HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def drive(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes, phase: Phase
) -> None:
    """Send requests one after another on one keep-alive connection until the phase ends."""
    while phase.take():
        started = time.perf_counter_ns()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        _, _, rest = head.lower().partition(b"\r\ncontent-length:")
        length = int(rest.split(b"\r\n", 1)[0])
        body = await reader.readexactly(length)
        phase.latencies_ns.append(time.perf_counter_ns() - started)
        if not phase.first_body:
            phase.first_body = body
        if head[9:12] != b"200" or PATHWAY_MARK not in body:
            phase.errors += 1
            if len(phase.error_samples) < 3:
                phase.error_samples.append((head[:12] + b" " + body[:200]).decode(errors="replace"))


async def run_phase(
    connections: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
    request: bytes,
    phase: Phase,
) -> float:
    """Wall seconds from the first request sent to the last response read."""
    started = time.perf_counter()
    phase.deadline = started + phase.seconds
    await asyncio.gather(*(drive(r, w, request, phase) for r, w in connections))
    return time.perf_counter() - started


async def client(settings: dict[str, Any], server_pids: list[int]) -> dict[str, Any]:
    request = assess_request(settings["port"], settings["token"], settings["body"])
    connections = [
        await asyncio.open_connection(HOST, settings["port"])
        for _ in range(settings["concurrency"])
    ]
    try:
        warm = Phase(settings["warmup"], 60.0)
        await run_phase(connections, request, warm)
        phase = Phase(settings["requests"], settings["seconds"])
        server_before, client_before = cpu_seconds(server_pids), time.process_time()
        machine_before = machine_busy_seconds()
        elapsed = await run_phase(connections, request, phase)
        server_cpu = cpu_seconds(server_pids) - server_before
        client_cpu = time.process_time() - client_before
        machine_cpu = machine_busy_seconds() - machine_before
    finally:
        for _, writer in connections:
            writer.close()
    return {
        "elapsed": elapsed,
        "latencies_ns": phase.latencies_ns,
        "errors": phase.errors + warm.errors,
        "error_samples": warm.error_samples + phase.error_samples,
        "first_body": phase.first_body or warm.first_body,
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
        "others_cpu": max(0.0, machine_cpu - server_cpu - client_cpu),
    }


def client_process(
    settings: dict[str, Any],
    server_pids: list[int],
    cpus: set[int] | None,
    out: multiprocessing.connection.Connection,
) -> None:
    """The load generator's process: pinned if asked, on uvloop when it is installed (it is,
    with uvicorn[standard]), sending its results back through `out`."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is not for us
    if cpus is not None:
        os.sched_setaffinity(0, cpus)
    try:
        import uvloop

        result = uvloop.run(client(settings, server_pids))
    except ImportError:
        result = asyncio.run(client(settings, server_pids))
    except Exception as err:
        result = {"failure": f"{type(err).__name__}: {err}"}
    out.send(result)
    out.close()


def run_client(
    settings: dict[str, Any], server_pids: list[int], cpus: set[int] | None
) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=client_process, args=(settings, server_pids, cpus, send))
    child.start()
    send.close()
    try:
        limit = settings["seconds"] + 120.0  # warm-up and connection set-up included
        if not receive.poll(limit):
            raise RuntimeError(f"the load generator gave no result within {limit:.0f} s")
        result: dict[str, Any] = receive.recv()
        child.join(5)
    finally:
        if child.is_alive():  # interrupted, or stuck after sending
            child.terminate()
            child.join(5)
    if "failure" in result:
        raise RuntimeError(f"load generator failed: {result['failure']}")
    return result


# --- in-process costs -----------------------------------------------------------------------


def per_call_ms(fn: Callable[[], object], n: int) -> float:
    fn()
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - started) / n * 1000.0


async def asgi_call(app: Any, body: bytes, token: str) -> int:
    """One POST /api/assess through the ASGI app, with no server and no socket."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/assess",
        "raw_path": b"/api/assess",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", HOST.encode()),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": (HOST, 1),
        "server": (HOST, 80),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def asgi_ms(app: Any, body: bytes, token: str, n: int) -> float:
    if await asgi_call(app, body, token) != 200:
        raise RuntimeError("the in-process ASGI call did not answer 200")
    started = time.perf_counter()
    for _ in range(n):
        await asgi_call(app, body, token)
    return (time.perf_counter() - started) / n * 1000.0


def in_process(raw: dict[str, Any], body: bytes, token: str, n: int) -> dict[str, float]:
    """What one request's parts cost in this process, one at a time, on one core: the facts
    model, the rule engine, the decision's JSON, the token check (a store query) and the whole
    ASGI app without a socket (FastAPI, its threadpool, all of the above)."""
    from chinacomply import config
    from chinacomply.api.app import create_app
    from chinacomply.rules import engine
    from chinacomply.rules import facts as facts_model
    from chinacomply.services import tokens

    facts = facts_model.parse(raw, "facts")
    decision = engine.evaluate(facts)
    if decision.pathway != EXPECTED_PATHWAY:
        raise RuntimeError(f"in-process decision is {decision.pathway}, not {EXPECTED_PATHWAY}")
    as_dict = decision.to_dict()
    app = create_app(config.settings())
    store = app.state.store
    if tokens.verify(store, token) is None:
        raise RuntimeError("the token just created does not verify in process")

    def encode() -> bytes:
        text = json.dumps(as_dict, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")

    costs = {
        "facts parse (pydantic)": per_call_ms(lambda: facts_model.parse(raw, "facts"), n),
        "engine.evaluate": per_call_ms(lambda: engine.evaluate(facts), n),
        "decision.to_dict": per_call_ms(decision.to_dict, n),
        "JSON encode": per_call_ms(encode, n),
        "tokens.verify (store query)": per_call_ms(lambda: tokens.verify(store, token), n),
        "json.loads of the request body": per_call_ms(lambda: json.loads(body), n),
    }
    try:
        import uvloop

        costs["whole ASGI app, no socket"] = uvloop.run(asgi_ms(app, body, token, n // 2))
    except ImportError:
        costs["whole ASGI app, no socket"] = asyncio.run(asgi_ms(app, body, token, n // 2))
    finally:
        app.state.scan_jobs.close()
        store.close()
    return costs


# --- reporting ------------------------------------------------------------------------------


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_ms:
        return float("nan")
    rank = max(1, round(q / 100.0 * len(sorted_ms) + 0.5))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def describe(cpus: set[int] | None) -> str:
    return "any core" if cpus is None else "core " + ",".join(str(c) for c in sorted(cpus))


Layout = tuple[str, set[int] | None, set[int] | None]


def layouts(choice: str) -> list[Layout]:
    """(name, server cpus, client cpus): shared = the scheduler decides; split = the server's
    workers on all cores but the last, the client alone on the last."""
    cores = sorted(os.sched_getaffinity(0))
    shared: Layout = ("shared", None, None)
    split: Layout = (
        ("split", set(cores[:-1]), {cores[-1]})
        if len(cores) > 1
        else ("split", None, None)  # one core: nothing to split
    )
    return {"shared": [shared], "split": [split], "both": [shared, split]}[choice]


def report(
    name: str,
    server_cpus: set[int] | None,
    client_cpus: set[int] | None,
    args: argparse.Namespace,
    result: dict[str, Any],
    before: str,
) -> dict[str, float]:
    latencies = sorted(ns / 1e6 for ns in result["latencies_ns"])
    done = len(latencies)
    rps = done / result["elapsed"] if result["elapsed"] else 0.0
    p50, p90, p99 = (percentile(latencies, q) for q in (50, 90, 99))
    worst = latencies[-1] if latencies else float("nan")
    print(f"\n== layout {name}: server {describe(server_cpus)}, client {describe(client_cpus)}")
    others = result["others_cpu"] / result["elapsed"] if result["elapsed"] else 0.0
    print(
        f"load average before: {before}   after: {load_average()}   other processes during "
        f"the measurement: {others:.2f} cores{' (busy machine)' if others > 0.2 else ''}"
    )
    print(
        f"workers {args.workers}, concurrency {args.concurrency}, warm-up {args.warmup}, "
        f"bounds {args.requests} requests / {args.seconds:g} s"
    )
    bound = "request count" if done >= args.requests else "time"
    print(f"measured: {done} requests in {result['elapsed']:.2f} s (stopped by the {bound} bound)")
    print(f"requests/s: {rps:,.0f}")
    print(f"latency ms: p50 {p50:.1f}  p90 {p90:.1f}  p99 {p99:.1f}  max {worst:.1f}")
    if done:
        server_ms = result["server_cpu"] / done * 1000.0
        client_ms = result["client_cpu"] / done * 1000.0
        cores = len(server_cpus or os.sched_getaffinity(0))
        ceiling = cores / server_ms * 1000.0
        print(
            f"CPU per request: server {server_ms:.2f} ms (all workers), client {client_ms:.3f} ms"
        )
        why = (
            "the server is CPU-bound"
            if rps > 0.8 * ceiling
            else "well above the measured rate: the server waits (a lock, a thread hand-off)"
        )
        print(f"CPU-bound ceiling of the server on {cores} core(s): ~{ceiling:,.0f} req/s ({why})")
    print(f"errors (non-200 or another pathway): {result['errors']}")
    for sample in result["error_samples"]:
        print(f"  e.g. {sample}")
    body = result["first_body"]
    try:
        decision = json.loads(body)
        checked = (
            f"body checked: pathway {decision.get('pathway')}, decided_by "
            f"{decision.get('decided_by')}, {len(decision.get('trace', []))} trace entries, "
            f"{len(body):,} bytes"
        )
    except ValueError:
        checked = f"body is not JSON: {body[:200]!r}"
    print(checked)
    ok_rps, ok_p99 = rps >= TARGET_RPS, p99 < TARGET_P99_MS
    ok = ok_rps and ok_p99 and result["errors"] == 0
    print(
        f"verdict: {'MEETS' if ok else 'MISSES'} targets  "
        f"[req/s {rps:,.0f} {'>=' if ok_rps else '<'} {TARGET_RPS:.0f}; "
        f"p99 {p99:.1f} ms {'<' if ok_p99 else '>='} {TARGET_P99_MS:.0f} ms; "
        f"errors {result['errors']}]"
    )
    return {"rps": rps, "p99": p99}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--requests", type=int, default=5000, help="at most this many measured")
    parser.add_argument("--seconds", type=float, default=30.0, help="measure at most this long")
    parser.add_argument("--warmup", type=int, default=500, help="requests before measuring")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument(
        "--layout",
        choices=("shared", "split", "both"),
        default="shared",
        help="shared: no pinning; split: client alone on the last core; both: one run each",
    )
    parser.add_argument(
        "--iterations", type=int, default=2000, help="in-process measurements (0 skips them)"
    )
    args = parser.parse_args()
    if min(args.workers, args.concurrency, args.requests) < 1 or args.seconds <= 0:
        parser.error("--workers, --concurrency, --requests and --seconds must be positive")

    # SIGTERM unwinds like Ctrl-C, so the finally blocks stop the server and the client.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    print(f"load average before start: {load_average()} ({os.cpu_count()} cores)")
    if os.getloadavg()[0] > 0.5:
        print("  the machine is busy: figures will be lower than on an idle one")
    raw = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    body = json.dumps(raw, default=lambda v: v.isoformat() if isinstance(v, dt.date) else v)
    body_bytes = body.encode()

    with tempfile.TemporaryDirectory(prefix="api_bench.") as tmp:
        env = {**os.environ, "CHINACOMPLY_HOME": tmp}
        env.pop("CHINACOMPLY_DB", None)
        os.environ.update(CHINACOMPLY_HOME=tmp)
        os.environ.pop("CHINACOMPLY_DB", None)
        token = chinacomply("token", "create", "--scope", "read", "--name", "bench", env=env)
        token = token.strip()

        if args.iterations > 0:
            print(
                f"\n== in process, one core, ms per call (N={args.iterations}; facts of "
                f"{FACTS_FILE.relative_to(ROOT)}, {len(body_bytes)} bytes)"
            )
            costs = in_process(raw, body_bytes, token, args.iterations)
            for what, ms in costs.items():
                print(f"  {what:<32} {ms:8.3f}")

        figures = []
        for name, server_cpus, client_cpus in layouts(args.layout):
            port = args.port or free_port()
            server = start_server(port, args.workers, env, server_cpus, Path(tmp) / "serve.log")
            try:
                wait_healthy(server)
                settings = {
                    "port": port,
                    "token": token,
                    "body": body_bytes,
                    "concurrency": args.concurrency,
                    "requests": args.requests,
                    "seconds": args.seconds,
                    "warmup": args.warmup,
                }
                before = load_average()
                pids = wait_workers(server, args.workers)
                result = run_client(settings, pids, client_cpus)
            finally:
                server.stop()
            figures.append((name, report(name, server_cpus, client_cpus, args, result, before)))
            if args.iterations > 0 and result["latencies_ns"]:
                engine_ms = costs["engine.evaluate"]
                cpu_ms = result["server_cpu"] / len(result["latencies_ns"]) * 1000.0
                print(
                    f"engine share: {engine_ms:.3f} ms of {cpu_ms:.2f} ms server CPU per "
                    f"request ({engine_ms / cpu_ms:.0%}); the rest is HTTP, framework and auth"
                )
    if len(figures) > 1:
        print(
            "\nlayouts: "
            + "; ".join(
                f"{name} {f['rps']:,.0f} req/s, p99 {f['p99']:.1f} ms" for name, f in figures
            )
        )
    print(
        f"\ntargets: >= {TARGET_RPS:.0f} req/s and p99 < {TARGET_P99_MS:.0f} ms (printed, "
        "not asserted)"
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted: server and load generator stopped")
    except RuntimeError as err:
        sys.exit(f"api_bench: {err}")
