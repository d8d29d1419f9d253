"""Long-running `flask rq worker` processes a benchmark starts and stops itself."""

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_workers(env: dict, count: int) -> list[subprocess.Popen]:
    """`count` long-running `flask rq worker` processes, returned once all are listening."""
    from rq import Worker

    from torchfin.queues import QUEUES, queue

    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    default = queue(QUEUES[-1])
    while len([w for w in Worker.all(queue=default) if w.pid in {p.pid for p in procs}]) < count:
        time.sleep(0.2)
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    """Stop the worker processes this benchmark started (warm shutdown), each by its pid."""
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait()
