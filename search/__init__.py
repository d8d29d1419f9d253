"""Elasticsearch: the search projection of SQL (client, index specs, documents, sync, queries)."""
