"""`newsbrief serve` start-up failures: one line "newsbrief: error: ...", exit code 1 or 2, no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "NEWSBRIEF_WARM_UP": "0", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "serve", *args], cwd=ROOT, env=environ,
        capture_output=True, text=True, timeout=60,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int, fragment: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsbrief: error: "), proc.stderr
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.fixture
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_port_in_use(busy_port, tmp_path):
    proc = serve("--port", str(busy_port), "--data-dir", str(tmp_path))
    assert_one_line_error(proc, 1, f"cannot listen on 127.0.0.1:{busy_port}: Address already in use")
    assert not (tmp_path / "newsbrief.sqlite3").exists()  # refused before anything was opened


@pytest.mark.parametrize("host, fragment", [
    ("no-such-host.invalid", "unknown host 'no-such-host.invalid'"),
    ("192.0.2.1", "cannot listen on 192.0.2.1:"),  # a documentation address: not this machine's
])
def test_bad_host(host, fragment, tmp_path):
    assert_one_line_error(serve("--host", host, "--port", "0", "--data-dir", str(tmp_path)), 1, fragment)


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_port_out_of_range(port, tmp_path):
    proc = serve("--port", port, "--data-dir", str(tmp_path))
    assert_one_line_error(proc, 2, f"port must be between 0 and 65535, not {port}")


def test_bad_settings_and_data_dir(tmp_path):
    assert_one_line_error(serve("--port", "0", "--workers", "0", "--data-dir", str(tmp_path)), 2,
                          "workers must be at least 1")
    assert_one_line_error(serve("--port", "0", env={"NEWSBRIEF_MAX_ARTICLES": "lots"}), 2, "NEWSBRIEF_MAX_ARTICLES")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = serve("--port", "0", "--data-dir", str(blocker))
    assert_one_line_error(proc, 1, "cannot open the database: ")
    assert str(blocker / "newsbrief.sqlite3") in proc.stderr
