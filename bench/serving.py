"""`pactum serve` for the benchmarks that time requests through HTTP (registration, identity
search): a free port, the server started with the store of ``env``, ready when ``/health``
answers, stopped on leaving the ``with`` block.

A benchmark script imports it after putting ``bench/`` on its path (scripts run from their own
folder: ``sys.path.insert(0, str(Path(__file__).resolve().parents[1]))``).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx


def pactum_command() -> str:
    """The `pactum` entry point of the interpreter running the benchmark."""
    return str(Path(sys.executable).parent / "pactum")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def pactum_server(env: Mapping[str, str], *serve_args: str, wait_s: float = 60.0) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``(base URL, server process)`` of `pactum serve --port <free> *serve_args`, once its
    ``/health`` answers 200 (polled every 0.1 s for at most ``wait_s``)."""
    port = free_port()
    server = subprocess.Popen([pactum_command(), "serve", "--port", str(port), *serve_args], env=dict(env),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(int(wait_s * 10)):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)
