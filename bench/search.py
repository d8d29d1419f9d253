"""Deal-flow search benchmark: Elasticsearch through the HTTP API vs PostgreSQL full-text search.

Generates N projects (default 200,000) with enterprises into a PostgreSQL database of its own,
indexes them, then runs one fixed query mix (text + 2-4 filters + facets) at concurrency 8:
through the real HTTP API (gunicorn, Elasticsearch, SQL row loading), and against a PostgreSQL
full-text baseline on the same rows (jieba words in a GIN-indexed tsvector, the same filters,
facet counts by GROUP BY). A third row sends the API's own Elasticsearch request body straight
to the cluster, so the engines are also compared without the HTTP path around one of them.
Prints p50 / p95 / p99 latency, requests per second and the ratios.

    .venv/bin/python -m bench.search --projects 200000
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from elasticsearch import Elasticsearch
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import create_engine, inspect, text

from bench.database import empty_database

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "tfbench"
console = Console()

FACET_COLUMNS = ("province", "zone_code", "industry", "stage", "instrument")
TERMS = (
    "新能源汽车",
    "动力电池",
    "集成电路",
    "人工智能",
    "物联网",
    "生物医药",
    "医疗器械",
    "光伏",
    "储能",
    "工业机器人",
    "云计算",
    "新材料",
    "节能",
    "芯片",
    "基因",
    "燃料电池",
)
PROVINCES = ("北京市", "上海市", "广东省", "湖北省", "江苏省", "浙江省", "四川省", "陕西省")
INDUSTRIES = ("it", "nev", "bio", "new_energy", "new_materials", "equipment", "energy_saving")
STAGES = ("seed", "angel", "a", "b", "c_plus", "pre_ipo")
INSTRUMENTS = ("equity", "bank_loan", "guaranteed_loan", "ip_pledge_loan", "convertible", "leasing")


@dataclass(frozen=True)
class Query:
    """One search of the mix: words and 2-4 filters."""

    text: str
    filters: dict[str, object]


def query_mix(count: int, seed: int = 7) -> list[Query]:
    """A deterministic mix of text queries with two to four filters each."""
    rng = random.Random(seed)
    choices = {
        "province": lambda: [rng.choice(PROVINCES)],
        "industry": lambda: [rng.choice(INDUSTRIES)],
        "stage": lambda: rng.sample(STAGES, 2),
        "instrument": lambda: rng.sample(INSTRUMENTS, 3),
        "amount_min": lambda: rng.choice([1_000_000, 5_000_000]),
        "amount_max": lambda: rng.choice([50_000_000, 200_000_000]),
    }
    mix = []
    for _ in range(count):
        names = rng.sample(sorted(choices), rng.randint(2, 4))
        mix.append(Query(rng.choice(TERMS), {name: choices[name]() for name in names}))
    return mix


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def migrate_database(url: str) -> None:
    """Bring a reused benchmark database up to the code's schema."""
    from flask_migrate import upgrade

    from torchfin import create_app

    with create_app({"SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_PREFIX": PREFIX}).app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")


def prepare_database(url: str, projects: int, enterprises: int) -> None:
    """Empty the benchmark database, migrate it, seed it and index it."""
    from flask_migrate import upgrade

    from torchfin import create_app
    from torchfin.commands.search import rebuild_all
    from torchfin.demo.seed import seed_demo
    from torchfin.extensions import db, search_client

    empty_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_PREFIX": PREFIX})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        started = time.perf_counter()
        with Progress(console=console) as progress:
            summary = seed_demo(
                db.session,
                enterprises=enterprises,
                projects=projects,
                institutions=50,
                mandates=100,
                progress=progress,
            )
        seconds = time.perf_counter() - started
        # Every generated row, the industry links included (the summary counts entities).
        rows = sum(
            db.session.scalar(text(f"SELECT count(*) FROM {table}")) for table in SEEDED_TABLES
        )
        rebuilt = rebuild_all(("project",))["project"]
        raw = raw_bulk_rate(db.session, search_client())
    table = Table(title="Seeding and indexing projects")
    for column in ("path", "rate"):
        table.add_column(column, justify="right")
    table.add_row(
        f"seeding ({summary.enterprises:,} enterprises, {summary.projects:,} projects, "
        f"{rows:,} rows in {seconds:,.0f} s)",
        f"{rows / seconds:,.0f} rows/s",
    )
    table.add_row("flask search rebuild (SQL, documents, _bulk)", f"{rebuilt:,.0f} documents/s")
    table.add_row(
        f"raw _bulk of up to {RAW_SAMPLE:,} pre-built documents", f"{raw:,.0f} documents/s"
    )
    table.add_row("ratio: rebuild / raw _bulk", f"{rebuilt / raw:.2f}")
    console.print(table)


SEEDED_TABLES = (
    "enterprise",
    "enterprise_financial",
    "enterprise_qualification",
    "enterprise_industry",
    "project",
    "project_industry",
    "institution",
    "mandate",
)
RAW_SAMPLE = 100_000  # documents pre-built in memory for the raw _bulk baseline


def raw_bulk_rate(session, es) -> float:
    """Documents/s of `_bulk` alone: the rebuild's own documents, built beforehand (up to
    RAW_SAMPLE of them), sent in the rebuild's batches to a scratch index of the same mapping
    and settings, refresh off as in a rebuild."""
    from search.documents import iter_all_ids, load_documents
    from search.indices import create_index

    batches = []
    for ids in iter_all_ids(session, "project", 1000):
        batches.append(
            [
                line
                for record_id, (_, document) in load_documents(session, "project", ids).items()
                for line in ({"index": {"_id": str(record_id)}}, document)
            ]
        )
        if len(batches) * 1000 >= RAW_SAMPLE:
            break
    scratch = f"{PREFIX}-raw-bulk"
    es.options(ignore_status=404).indices.delete(index=scratch)
    create_index(es, scratch, "project")
    es.indices.put_settings(index=scratch, settings={"refresh_interval": "-1"})
    started = time.perf_counter()
    for operations in batches:
        es.bulk(index=scratch, operations=operations)
    elapsed = time.perf_counter() - started
    es.indices.delete(index=scratch)
    return sum(len(b) // 2 for b in batches) / elapsed


def build_fulltext_baseline(engine) -> None:
    """A side table for PostgreSQL full-text search over the same projects and segmentation."""
    from search.segmentation import segment_for_index

    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_project_fts"))
        conn.execute(
            text(
                """
                CREATE TABLE bench_project_fts AS
                SELECT p.id, p.title, p.summary, e.name AS enterprise_name, p.amount_sought,
                       p.stage, p.instrument, z.code AS zone_code, z.province,
                       (SELECT coalesce(pi.code, i.code) FROM project_industry pj
                          JOIN industry i ON i.id = pj.industry_id
                          LEFT JOIN industry pi ON pi.id = i.parent_id
                         WHERE pj.project_id = p.id ORDER BY i.id LIMIT 1) AS industry,
                       NULL::tsvector AS tsv
                  FROM project p JOIN enterprise e ON e.id = p.enterprise_id
                  JOIN zone z ON z.id = e.zone_id
                 WHERE p.status = 'published'
                """
            )
        )
        # CREATE TABLE AS copies no keys: without one each UPDATE below scans the whole table.
        conn.execute(text("ALTER TABLE bench_project_fts ADD PRIMARY KEY (id)"))
        rows = conn.execute(
            text("SELECT id, title, summary, enterprise_name FROM bench_project_fts")
        ).all()
        # The words COPYed beside the table, then one set-wise UPDATE (a million single-row
        # UPDATEs would make building the baseline the longest part of the benchmark).
        conn.execute(text("CREATE TEMPORARY TABLE bench_words (id integer, words text)"))
        cursor = conn.connection.dbapi_connection.cursor()
        with cursor, cursor.copy("COPY bench_words (id, words) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(
                    (r.id, segment_for_index(f"{r.title} {r.summary} {r.enterprise_name}"))
                )
        conn.execute(
            text(
                "UPDATE bench_project_fts f SET tsv = to_tsvector('simple', w.words) "
                "FROM bench_words w WHERE f.id = w.id"
            )
        )
        conn.execute(text("CREATE INDEX ON bench_project_fts USING gin (tsv)"))
        for column in (*FACET_COLUMNS, "amount_sought"):
            conn.execute(text(f"CREATE INDEX ON bench_project_fts ({column})"))
        conn.execute(text("ANALYZE bench_project_fts"))


def _pg_where(query: Query) -> tuple[str, dict]:
    from search.segmentation import segment_for_query

    clauses = ["tsv @@ to_tsquery('simple', :words)"]
    params: dict = {"words": " & ".join(segment_for_query(query.text).split())}
    for name, value in query.filters.items():
        if name == "amount_min":
            clauses.append("amount_sought >= :amount_min")
        elif name == "amount_max":
            clauses.append("amount_sought <= :amount_max")
        else:
            clauses.append(f"{name} = ANY(:{name})")
        params[name] = value
    return " AND ".join(clauses), params


def pg_search(engine, query: Query) -> int:
    """The baseline: ranked top 20, total count and five facet counts, as one round of SQL."""
    where, params = _pg_where(query)
    with engine.connect() as conn:
        conn.execute(
            text(
                f"SELECT id FROM bench_project_fts WHERE {where} "
                "ORDER BY ts_rank(tsv, to_tsquery('simple', :words)) DESC, id DESC LIMIT 20"
            ),
            params,
        ).all()
        total = conn.execute(text(f"SELECT count(*) FROM bench_project_fts WHERE {where}"), params)
        for column in FACET_COLUMNS:
            conn.execute(
                text(f"SELECT {column}, count(*) FROM bench_project_fts WHERE {where} GROUP BY 1"),
                params,
            ).all()
        return total.scalar_one()


def _arguments(query: Query) -> dict[str, str | list[str]]:
    # The query string's values as a client sends them: strings, lists for repeated names.
    return {
        name: [str(v) for v in value] if isinstance(value, list) else str(value)
        for name, value in {"q": query.text, **query.filters}.items()
    }


def api_search(base: str, token: str, query: Query) -> int:
    """The system under test: GET /api/v1/search through gunicorn."""
    request = urllib.request.Request(
        f"{base}/api/v1/search?{urllib.parse.urlencode(_arguments(query), doseq=True)}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["total"]


def engine_search(es, query: Query) -> int:
    """Elasticsearch alone, like the SQL-only baseline: the very body the API sends (top 20,
    total, highlights, every facet), without HTTP, the token check or loading rows from SQL."""
    from schemas.search import SearchArgsSchema
    from search.indices import alias_name
    from search.queries import build_search
    from torchfin.services.deal_flow.discovery import filters_from

    args = SearchArgsSchema().load(_arguments(query))
    body = build_search("project", args["q"], filters_from(args), size=args["page_size"])
    return es.search(index=alias_name(PREFIX, "project"), **body)["hits"]["total"]["value"]


def measure(label: str, call, mix: list[Query], concurrency: int) -> dict:
    """Run the mix at `concurrency`; latency percentiles in ms and requests per second."""

    def timed(query: Query) -> float:
        started = time.perf_counter()
        call(query)
        return (time.perf_counter() - started) * 1000

    for query in mix[:20]:  # warm caches and connection pools alike for both sides
        call(query)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(timed, mix))
    wall = time.perf_counter() - started
    return {
        "label": label,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "rps": len(mix) / wall,
    }


def serve(url: str, port: int) -> subprocess.Popen:
    """gunicorn serving the app on the benchmark database and indices."""
    # The benchmark is one client sending thousands of searches: lift the per-client limit.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SEARCH_INDEX_PREFIX": PREFIX,
        "SEARCH_RATE_LIMIT": "1000000/minute",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--threads",
            "2",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/zones", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def token_for(base: str) -> str:
    """A bearer token of the demo investor."""
    body = json.dumps({"email": "investor@demo.torchfin.cn", "password": "torchfin-demo"}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/tokens", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["token"]


def main() -> None:
    """Parse options, prepare the data, run both sides and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--enterprises", type=int, default=None, help="default: projects / 2")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--single-requests", type=int, default=500, help="of the mix, sent by one client"
    )
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--reuse", action="store_true", help="skip generation and indexing")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench"
        ),
    )
    options = parser.parse_args()
    if options.reuse:
        migrate_database(options.database_url)
    else:
        prepare_database(
            options.database_url, options.projects, options.enterprises or options.projects // 2
        )
    mix = query_mix(options.requests)
    engine = create_engine(options.database_url, pool_size=options.concurrency)
    if not options.reuse or not inspect(engine).has_table("bench_project_fts"):
        started = time.perf_counter()
        build_fulltext_baseline(engine)
        elapsed = time.perf_counter() - started
        console.print(f"PostgreSQL full-text baseline built in {elapsed:.0f}s")
    server = serve(options.database_url, options.port)
    try:
        base = f"http://127.0.0.1:{options.port}"
        token = token_for(base)
        es_client = Elasticsearch(os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200"))
        es = measure(
            "Elasticsearch via HTTP API",
            lambda q: api_search(base, token, q),
            mix,
            options.concurrency,
        )
        pg = measure(
            "PostgreSQL full-text (SQL only)",
            lambda q: pg_search(engine, q),
            mix,
            options.concurrency,
        )
        single = measure(
            "Elasticsearch via HTTP API, one client",
            lambda q: api_search(base, token, q),
            mix[: options.single_requests],
            1,
        )
        engine_only = measure(
            "Elasticsearch query only (the API's body)",
            lambda q: engine_search(es_client, q),
            mix,
            options.concurrency,
        )
    finally:
        server.terminate()
        server.wait()
    title = (
        f"search: {options.projects} projects, {len(mix)} queries, {options.concurrency} at once"
    )
    table = Table(title=title)
    for column in ("engine", "p50 ms", "p95 ms", "p99 ms", "req/s"):
        table.add_column(column, justify="right" if column != "engine" else "left")
    for row in (es, single, engine_only, pg):
        table.add_row(
            row["label"],
            f"{row['p50']:.1f}",
            f"{row['p95']:.1f}",
            f"{row['p99']:.1f}",
            f"{row['rps']:.1f}",
        )
    for label, side in (("HTTP API", es), ("query only", engine_only)):
        table.add_row(
            f"ratio: {label} / PostgreSQL",
            f"{side['p50'] / pg['p50']:.2f}",
            f"{side['p95'] / pg['p95']:.2f}",
            f"{side['p99'] / pg['p99']:.2f}",
            f"{side['rps'] / pg['rps']:.2f}",
        )
    table.add_row(
        "ratio: HTTP API / query only",
        f"{es['p50'] / engine_only['p50']:.2f}",
        f"{es['p95'] / engine_only['p95']:.2f}",
        f"{es['p99'] / engine_only['p99']:.2f}",
        f"{es['rps'] / engine_only['rps']:.2f}",
    )
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
