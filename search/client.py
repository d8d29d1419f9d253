"""The Elasticsearch client, bound to the app."""

from elasticsearch import Elasticsearch
from flask import Flask


def init_app(app: Flask) -> None:
    """Create the client for ELASTICSEARCH_URL; connections open lazily on first use."""
    app.extensions["torchfin.search"] = Elasticsearch(
        app.config["ELASTICSEARCH_URL"], request_timeout=30, retry_on_timeout=True, max_retries=2
    )
