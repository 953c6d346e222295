#!/usr/bin/env python
"""Bounded load test of `newsbrief serve` (a script, not a unit test).

Starts one server on 127.0.0.1 (a fresh data directory), warms it up with one brief, then runs
N concurrent clients (default 20) for a fixed time (default 30 s), each posting 5-article briefs
(the seeds in examples/us-iran-talks) back to back. Requests still in flight at the end are
waited for (each has a client timeout). Records every status and latency, and the server's peak
resident memory: the server's whole process tree (the server, multiprocessing's fork server and the
brief worker processes), RSS and PSS sampled every 0.2 s, and the sum of per-process VmHWM peaks.

Prints a Markdown block for BENCHMARKS.md and writes it to benchmarks/load_test.md.
Exits 1 if any request failed.

    .venv/bin/python scripts/load_test.py                  # 20 clients x 30 s
    .venv/bin/python scripts/load_test.py --clients 4 --seconds 5 --out /tmp/smoke.md
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8000   # an already running server
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "examples" / "us-iran-talks").glob("*.txt"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_mem_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in KiB (Linux /proc)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def proc_pss_kib(pid: int) -> int:
    """Proportional set size (shared pages divided among their sharers), in KiB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (the server, its fork server, its brief workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += children.get(p, [])
    return tree


def tree_mem_kib(pid: int) -> dict[str, int]:
    """Sums over the server's process tree: RSS, PSS, the per-process peaks (VmHWM) and the count."""
    pids = process_tree(pid)
    mems = [proc_mem_kib(p) for p in pids]
    return {
        "VmRSS": sum(m.get("VmRSS", 0) for m in mems),
        "VmHWM": sum(m.get("VmHWM", 0) for m in mems),
        "Pss": sum(proc_pss_kib(p) for p in pids),
        "processes": len(pids),
    }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def start_server(port: int, data_dir: str, extra: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "newsbrief.web", "--host", "127.0.0.1", "--port", str(port),
           "--data-dir", data_dir, "--log-level", "warning", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("server exited:\n" + proc.stdout.read().decode(errors="replace"))
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--articles", type=int, default=5, help="articles per brief (from the seeds, cycled)")
    ap.add_argument("--words", type=int, default=150)
    ap.add_argument("--timeout", type=float, default=180.0, help="client timeout per request, seconds")
    ap.add_argument("--url", help="use this running server instead of starting one (memory not measured)")
    ap.add_argument("--server-arg", action="append", default=[], help="extra argument for the server, repeatable")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "load_test.md"))
    args = ap.parse_args()

    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    articles = [{"text": texts[i % len(texts)], "source": f"Seed {i % len(texts)}"} for i in range(args.articles)]

    proc = None
    load_before = os.getloadavg()[0]
    data_dir = tempfile.mkdtemp(prefix="newsbrief-load-")
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            proc = start_server(port, data_dir, args.server_arg)
        limits = httpx.get(f"{base}/api/health", timeout=10).json().get("limits", {})

        t0 = time.perf_counter()
        warm = httpx.post(f"{base}/api/briefs", json={"articles": articles, "words": args.words}, timeout=args.timeout)
        warm_s = time.perf_counter() - t0
        if warm.status_code != 201:
            raise SystemExit(f"warm-up brief failed: {warm.status_code} {warm.text[:500]}")
        mem_idle = tree_mem_kib(proc.pid) if proc else {}

        results: list[tuple[int, float]] = []  # (status, seconds); status 0 = transport error
        errors: list[str] = []
        lock = threading.Lock()
        peak_rss = [mem_idle.get("VmRSS", 0)]
        peak_pss = [mem_idle.get("Pss", 0)]
        samples: list[tuple[float, int]] = []  # (seconds since start, tree RSS KiB)
        stop_sampling = threading.Event()

        def sample():
            while not stop_sampling.wait(0.2):
                if proc:
                    mem = tree_mem_kib(proc.pid)
                    peak_rss[0] = max(peak_rss[0], mem["VmRSS"])
                    peak_pss[0] = max(peak_pss[0], mem["Pss"])
                    samples.append((time.perf_counter() - start, mem["VmRSS"]))

        start = time.perf_counter()
        end_at = start + args.seconds

        def client(n: int):
            with httpx.Client(timeout=args.timeout) as http:
                i = 0
                while time.perf_counter() < end_at:
                    i += 1
                    body = {"articles": articles, "words": args.words}
                    t = time.perf_counter()
                    try:
                        r = http.post(f"{base}/api/briefs", json=body)
                        status = r.status_code
                        if status != 201:
                            with lock:
                                errors.append(f"client {n} #{i}: {status} {r.text[:200]}")
                    except httpx.HTTPError as e:
                        status = 0
                        with lock:
                            errors.append(f"client {n} #{i}: {type(e).__name__}: {e}")
                    with lock:
                        results.append((status, time.perf_counter() - t))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        stop_sampling.set()
        mem_end = tree_mem_kib(proc.pid) if proc else {}
    finally:
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)

    ok = [s for st, s in results if st == 201]
    statuses = Counter(st for st, _ in results)
    n_err = sum(v for k, v in statuses.items() if k != 201)
    kinds = [f"{k or 'transport'}: {v}" for k, v in sorted(statuses.items()) if k != 201]
    error_kinds = f" ({', '.join(kinds)})" if kinds else ""
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    mib = lambda kib: f"{kib / 1024:.0f} MiB" if kib else "n/a"  # noqa: E731

    def third(k: int) -> int:  # mean tree RSS over one third of the load phase
        part = [rss for t, rss in samples if k * args.seconds / 3 <= t < (k + 1) * args.seconds / 3]
        return int(statistics.fmean(part)) if part else 0

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cmd = "python scripts/load_test.py" + (f" --clients {args.clients}" if args.clients != 20 else "") + (
        f" --seconds {args.seconds:g}" if args.seconds != 30 else "")
    lines = [
        f"### Load test: {args.clients} concurrent clients x {args.seconds:g} s, {args.articles}-article briefs ({when})",
        "",
        f"`{cmd}`: one `newsbrief serve` on 127.0.0.1 (uvicorn, default settings), "
        f"{os.cpu_count()} CPU cores ({cpu}; load average {load_before:.1f} before the run, from other work), "
        f"Python {platform.python_version()}. Each client posts a "
        f"{args.articles}-article JSON brief ({args.words} words; the seeds) back to back; "
        "latency is the client's, queueing included.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| requests completed | {len(results)} in {wall:.1f} s ({len(results) / wall:.2f} briefs/s) |",
        f"| errors | {n_err}{error_kinds} |",
        f"| latency p50 | {percentile(ok, 50):.2f} s |",
        f"| latency p95 | {percentile(ok, 95):.2f} s |",
        f"| latency p99 / max | {percentile(ok, 99):.2f} s / {max(ok, default=float('nan')):.2f} s |",
        f"| latency mean | {statistics.fmean(ok) if ok else float('nan'):.2f} s |",
        f"| warm-up brief (first, model load included) | {warm_s:.2f} s |",
        f"| server processes (server, fork server, workers, tracker) | {mem_end.get('processes', 'n/a')} |",
        f"| server memory after warm-up (RSS, all processes) | {mib(mem_idle.get('VmRSS', 0))} |",
        f"| server peak RSS sampled under load (all processes) | {mib(peak_rss[0])} |",
        f"| server peak PSS sampled under load (shared pages counted once) | {mib(peak_pss[0])} |",
        f"| sum of per-process peaks (VmHWM, whole run) | {mib(mem_end.get('VmHWM', 0))} |",
        f"| RSS in the first / last third of the run | {mib(third(0))} / {mib(third(2))} |",
        f"| server settings | {limits.get('workers', '?')} brief workers; time limit {limits.get('time_limit', '?')} s, "
        f"max {limits.get('max_articles', '?')} articles |",
        "",
    ]
    if errors:
        lines += ["First errors:", "", *[f"- `{e}`" for e in errors[:5]], ""]
    report = "\n".join(lines)
    print(report)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")
    print(f"(written to {out})", file=sys.stderr)
    return 1 if n_err else 0


if __name__ == "__main__":
    sys.exit(main())
