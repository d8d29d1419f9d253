"""Real RQ burst workers for tests, forked from a server that imported the app's modules once.

`flask --app wsgi rq worker --burst` spends about 4 s of CPU importing the app before it takes a
job, and the suite runs hundreds of them. Each worker here is still a process of its own running
that same command, but it is forked from a multiprocessing forkserver that preloaded `wsgi`, so
it only builds its app (from the environment the test has now) in a fraction of a second.
"""

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from flask.cli import main as flask_main

COMMAND = ["flask", "--app", "wsgi", "rq", "worker", "--burst"]

_forkserver = multiprocessing.get_context("forkserver")
_forkserver.set_forkserver_preload(["wsgi"])


def run_burst_worker(root: Path, hang_seconds: float) -> subprocess.CompletedProcess:
    """Run `flask rq worker --burst` in `root` with this process's environment until the queues
    are empty; its exit code and everything it wrote (stdout and stderr, as `stdout`)."""
    with tempfile.NamedTemporaryFile(prefix="rq-worker-", suffix=".log") as log:
        worker = _forkserver.Process(target=_work, args=(dict(os.environ), str(root), log.name))
        worker.start()
        worker.join(hang_seconds)
        if worker.is_alive():
            worker.kill()
            worker.join()
            raise TimeoutError(f"the burst worker hung for {hang_seconds} s")
        output = Path(log.name).read_text(encoding="utf-8", errors="replace")
    return subprocess.CompletedProcess(COMMAND, worker.exitcode, stdout=output, stderr="")


def _work(environ: dict[str, str], root: str, log_path: str) -> None:
    # The forkserver's environment and `wsgi` app are from when it started: take the test's
    # environment and import `wsgi` again, so create_app reads this test's settings.
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(root)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    os.dup2(log, sys.stdout.fileno())
    os.dup2(log, sys.stderr.fileno())
    sys.modules.pop("wsgi", None)
    sys.argv = COMMAND
    flask_main()


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants, parents first: an RQ worker's work horse leaves the worker's
    process group (setpgrp), so killing the group would miss it."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:  # it has just ended
        return []
    return [pid, *(p for child in children for p in process_tree(int(child)))]


def kill_tree(process: subprocess.Popen) -> list[int]:
    """SIGKILL `process` and its descendants, parents first, and reap it; the pids killed.

    The worker dies before its work horse, so it never sees the horse die and never records
    the job as failed: the job stays started with a dead worker, as after a lost machine.
    """
    killed = process_tree(process.pid)
    for pid in killed:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    process.wait()  # reaped, so its pid no longer answers `os.kill(pid, 0)`
    return killed
