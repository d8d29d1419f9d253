"""The Elasticsearch client, bound to the app."""

from collections.abc import Mapping

from elasticsearch import Elasticsearch
from flask import Flask

from search.indices import IndexLayout


def node_urls(setting: str) -> list[str]:
    """The node URLs of ELASTICSEARCH_URL: one URL, or several separated by commas."""
    return [url.strip() for url in setting.split(",") if url.strip()]


def index_layout(config: Mapping) -> IndexLayout:
    """The shards and replicas new indices get, from SEARCH_SHARDS and SEARCH_REPLICAS."""
    return IndexLayout(config["SEARCH_SHARDS"], config["SEARCH_REPLICAS"])


def init_app(app: Flask) -> None:
    """Create the client for ELASTICSEARCH_URL's nodes; connections open lazily on first use.

    Given several nodes, the client sends each request to one of them and, when a node does not
    answer, retries on another (`max_retries`), so losing one node of a cluster costs no request.
    """
    nodes = node_urls(app.config["ELASTICSEARCH_URL"])
    app.extensions["torchfin.search"] = Elasticsearch(
        nodes, request_timeout=30, retry_on_timeout=True, max_retries=max(2, len(nodes))
    )
