"""The app served by real gunicorn (2 processes x 4 threads, as `make demo` runs it) and a
client that sends many requests at the same instant."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, JSON body (None when not JSON) and headers."""

    status: int
    body: object
    headers: dict[str, str]


class LiveServer:
    """Requests to the gunicorn server at `base_url`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(
        self, method: str, path: str, headers: dict | None = None, body: object = None
    ) -> Answer:
        """Send one request and return its answer, whatever its status."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return _answer(response.status, response.read(), response.headers)
        except urllib.error.HTTPError as error:
            return _answer(error.code, error.read(), error.headers)

    def at_once(self, requests: list[tuple[str, str, dict, object]]) -> list[Answer]:
        """Send every (method, path, headers, body) from its own thread, all released together
        by a barrier; the answers in the order given."""
        barrier = threading.Barrier(len(requests))
        answers: list[Answer | None] = [None] * len(requests)

        def send(index: int) -> None:
            method, path, headers, body = requests[index]
            barrier.wait()
            answers[index] = self.call(method, path, headers, body)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers


def _answer(status: int, raw: bytes, headers) -> Answer:
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    return Answer(status, body, dict(headers.items()))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve() -> Iterator[LiveServer]:
    """Start gunicorn on a free port with this test run's settings; stop it afterwards."""
    port = _free_port()
    # To a file: a pipe nobody reads would block gunicorn once full.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers=2",
                "--threads=4",
                f"--bind=127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        server = LiveServer(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(server):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                raise RuntimeError(f"gunicorn did not start: {log.read().decode()[-3000:]}")
            time.sleep(0.2)
        yield server
        process.terminate()
        process.wait(timeout=30)


def _answers(server: LiveServer) -> bool:
    try:
        return server.call("GET", "/api/v1/zones").status == 200
    except OSError:
        return False
