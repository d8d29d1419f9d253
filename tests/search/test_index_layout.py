"""Index layout and nodes from the configuration: what `make cluster` relies on."""

import pytest

from search.client import node_urls
from search.indices import alias_name, indices_behind
from torchfin import create_app
from torchfin.extensions import search_client


def _settings(es, prefix: str, kind: str) -> dict:
    (index,) = indices_behind(es, alias_name(prefix, kind))
    return es.indices.get_settings(index=index)[index]["settings"]["index"]


@pytest.mark.parametrize(
    "command", [["search", "rebuild", "--kind", "mandate"], ["search", "ensure"]]
)
def test_new_indices_take_shards_and_replicas_from_the_configuration(app, es, monkeypatch, command):
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    if command[1] == "ensure":
        es.indices.delete(index=indices_behind(es, alias_name(prefix, "mandate")))
    # Two primaries and no replica: a layout other than the default that one node can hold.
    monkeypatch.setitem(app.config, "SEARCH_SHARDS", 2)

    result = app.test_cli_runner().invoke(args=command)

    assert result.exit_code == 0, result.output
    settings = _settings(es, prefix, "mandate")
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("2", "0")
    # An index created before the change keeps its layout until the next rebuild.
    assert _settings(es, prefix, "project")["number_of_shards"] == "1"


def test_node_urls_split_a_comma_separated_list():
    assert node_urls("http://a:9200, http://b:9201,,http://c:9202 ") == [
        "http://a:9200",
        "http://b:9201",
        "http://c:9202",
    ]
    assert node_urls("http://127.0.0.1:9200") == ["http://127.0.0.1:9200"]


def test_the_client_is_given_every_node_and_answers_with_one_of_them_down(app):
    # One real node and one address where nothing listens: a cluster with a node lost.
    live = app.config["ELASTICSEARCH_URL"]
    other = create_app({"ELASTICSEARCH_URL": f"http://127.0.0.1:9,{live}"})
    with other.app_context():
        client = search_client()
        urls = sorted(str(node.base_url) for node in client.transport.node_pool.all())
        assert urls == sorted(["http://127.0.0.1:9", live.rstrip("/")])
        for _ in range(4):  # whichever node a request goes to first, it is answered
            assert client.cluster.health()["status"] in {"green", "yellow"}
