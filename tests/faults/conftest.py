"""Fault tests stop and start real servers: Elasticsearch and Redis of their own (`make faults`).

They never touch the servers of `make test` or `make demo`: scripts/faults.sh starts a second
Elasticsearch and Redis on other ports and points these tests at them.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str, *args: str) -> None:
    env = {**os.environ}
    env.pop("ELASTICSEARCH_URL", None)  # the scripts manage the local server on the given port
    env.pop("REDIS_URL", None)
    subprocess.run(["bash", f"scripts/{name}", *args], cwd=ROOT, env=env, check=True)


class Servers:
    """Stop and start this run's own Elasticsearch and Redis."""

    def stop_elasticsearch(self) -> None:
        _script("services-stop.sh", "elasticsearch")

    def start_elasticsearch(self) -> None:
        _script("es-start.sh")

    def stop_redis(self) -> None:
        _script("services-stop.sh", "redis")

    def start_redis(self) -> None:
        _script("redis-start.sh")


@pytest.fixture
def servers() -> Servers:
    """Control of the fault run's servers; refuses to act on the everyday ports."""
    if (
        os.environ.get("ES_PORT", "9200") == "9200"
        or os.environ.get("REDIS_PORT", "6379") == "6379"
    ):
        pytest.skip("fault tests run only through `make faults`, on servers of their own")
    return Servers()
