"""Fault tests stop and start real servers: Elasticsearch and Redis of their own (`make faults`).

They never touch the servers of `make test` or `make demo`: scripts/faults.sh starts a second
Elasticsearch and Redis on other ports and points these tests at them.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models.enums import Role
from torchfin.services.outbox import record_upsert

ROOT = Path(__file__).resolve().parents[2]
ES_NODE_DIRS = ROOT / ".services" / "elasticsearch"


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
        """Start the server, or with ES_NODES=3 every node of the cluster that is not running."""
        _script("es-start.sh")

    def kill_elasticsearch_node(self, port: int) -> int:
        """SIGKILL the cluster node on `port` (no shutdown: a machine lost); return its pid."""
        pid_file = ES_NODE_DIRS / f"cluster-node-{port}" / "es.pid"
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60  # only stops a hang: the kernel ends it at once
        while _alive(pid):
            assert time.monotonic() < deadline, f"node {port} (pid {pid}) survived SIGKILL"
            time.sleep(0.05)
        return pid

    def stop_redis(self) -> None:
        _script("services-stop.sh", "redis")

    def start_redis(self) -> None:
        _script("redis-start.sh")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def servers() -> Servers:
    """Control of the fault run's servers; refuses to act on the everyday ports."""
    if (
        os.environ.get("ES_PORT", "9200") == "9200"
        or os.environ.get("REDIS_PORT", "6379") == "6379"
    ):
        pytest.skip("fault tests run only through `make faults`, on servers of their own")
    return Servers()


class Sme:
    """An SME user of a fresh zone whose enterprise is indexed, and the projects it posts."""

    def __init__(self, client) -> None:
        self.client = client
        self.zone = make_zone()
        enterprise = make_enterprise(self.zone, [make_industries()["nev"]])
        # The factory writes the row directly; queue it like the service would so it is indexed.
        record_upsert(db.session, enterprise)
        db.session.commit()
        self.headers = auth(make_user(Role.SME, enterprise=enterprise))

    @staticmethod
    def project(title: str) -> dict:
        """The body of a new equity project called `title`."""
        return {
            "title": title,
            "summary": "故障演练项目",
            "amount_sought": "5000000.00",
            "instrument": "equity",
            "stage": "a",
        }

    def publish(self, title: str) -> int:
        """Create and publish a project through the API; its id (both steps must answer 2xx)."""
        created = self.client.post(
            "/api/v1/projects", json=self.project(title), headers=self.headers
        )
        assert created.status_code == 201, created.json
        published = self.client.post(
            f"/api/v1/projects/{created.json['id']}/publish", headers=self.headers
        )
        assert published.status_code == 200, published.json
        return created.json["id"]


@pytest.fixture
def sme(app, es, client) -> Sme:
    """An SME of a fresh zone, signed in through a bearer token."""
    return Sme(client)
