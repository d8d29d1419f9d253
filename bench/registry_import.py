"""Registry import benchmark: a zone-sized file imported through a real worker until searchable,
against a plain bulk insert of the same rows.

Seeds its own PostgreSQL database (reference data and EXISTING demo enterprises with projects,
indexed), then writes an XLSX of ROWS rows as zones send them: new enterprises (dates in every
usual form, full-width codes now and then, some high-tech certificates) and the existing ones,
half of them changed (a new address and headcount). With two warm `flask rq worker` processes
listening, the clock starts when the file is handed to the import (`start_import`, as the CLI
and the API do: read and checked in-process, then enqueued) and stops when the import is done,
then when every enterprise document is in the index and the outbox is empty.

Baseline, in the same run: the same file read with the same reader and its rows written with
`bulk.insert_rows` (COPY) into a scratch copy of the enterprise table, no checks, no diff, no
change records, no outbox. Prints rows/s of both, the time to searchable and the ratio.

    .venv/bin/python -m bench.registry_import --rows 100000
"""

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.database import empty_database
from bench.workers import start_workers, stop_workers

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "tfbench-import"
console = Console()


def prepare(existing: int, projects: int) -> None:
    """Migrate the emptied database, seed the existing enterprises and index them; leave no
    job (of an earlier run, or the seed's) waiting, so the workers start on the import."""
    from flask_migrate import upgrade
    from sqlalchemy import delete

    from search.sync import rebuild
    from torchfin.demo.seed import seed_demo
    from torchfin.extensions import db, search_client
    from torchfin.models import OutboxEvent
    from torchfin.queues import QUEUES, queue

    upgrade(directory=str(ROOT / "migrations"), revision="heads")
    seed_demo(db.session, enterprises=existing, projects=projects, institutions=7, mandates=0)
    for kind in ("enterprise", "project"):
        rebuild(db.session, search_client(), PREFIX, kind)
    db.session.execute(delete(OutboxEvent))  # the rebuild indexed what they name
    db.session.commit()
    for name in QUEUES:
        queue(name).empty()


def file_rows(rows: int, seed: int) -> tuple[list[str], list[list[object]], int]:
    """The header and rows of the file, and how many of them name new enterprises."""
    from sqlalchemy import select

    from torchfin.demo import figures, names
    from torchfin.extensions import db
    from torchfin.models import Enterprise, Zone
    from torchfin.reference_data.industries import INDUSTRIES_BY_CODE
    from torchfin.reference_data.zones import ZONES

    rng = random.Random(seed)
    header = [
        "统一社会信用代码",
        "企业名称",
        "所属高新区",
        "注册地址",
        "成立日期",
        "行业",
        "企业类型",
        "高新技术企业证书编号",
        "从业人员",
        "授权发明专利",
    ]
    zone_names = dict(db.session.execute(select(Zone.id, Zone.name_zh)).all())
    existing = db.session.execute(
        select(
            Enterprise.credit_code,
            Enterprise.name,
            Enterprise.zone_id,
            Enterprise.founded_on,
            Enterprise.legal_form,
            Enterprise.employees,
        )
    ).all()
    table: list[list[object]] = []
    for number, row in enumerate(existing[:rows]):
        changed = number % 2 == 0
        table.append(
            [
                row.credit_code,
                row.name,
                zone_names[row.zone_id],
                f"{rng.choice(('海淀区', '东湖', '张江'))}科技路{number}号" if changed else "",
                row.founded_on.isoformat(),
                "",
                "股份有限公司" if row.legal_form == "jsc" else "有限责任公司",
                "",
                (row.employees or 0) + 7 if changed else row.employees,
                "",
            ]
        )
    fields = [code for code in names.NAME_WORDS if code in INDUSTRIES_BY_CODE]
    codes = {row.credit_code for row in existing}
    new = rows - len(table)
    for number in range(new):
        zone = rng.choice(ZONES)
        field = rng.choice(fields)
        year = rng.randint(1995, 2024)
        joint_stock = rng.random() < 0.2
        code = figures.credit_code(rng, zone.division_code, year)
        while code in codes:
            code = figures.credit_code(rng, zone.division_code, year)
        codes.add(code)
        if rng.random() < 0.05:  # typed with a Chinese input method: full-width
            code = "".join(chr(ord(ch) + 0xFEE0) for ch in code)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        founded = rng.choice(
            (f"{year}-{month:02d}-{day:02d}", f"{year}/{month}/{day}", f"{year}年{month}月{day}日")
        )
        name, _ = names.enterprise_name(rng, zone.city, field, joint_stock)
        table.append(
            [
                code,
                f"{name}{number}",
                zone.name_zh,
                f"{zone.city}高新区创新大道{rng.randint(1, 999)}号",
                founded,
                INDUSTRIES_BY_CODE[field].name_zh,
                "股份有限公司" if joint_stock else "有限责任公司",
                f"GR{year + 3}{rng.randint(11, 65)}{rng.randint(0, 999999):06d}"
                if rng.random() < 0.4
                else "",
                rng.randint(5, 2000),
                rng.randint(0, 40),
            ]
        )
    return header, table, new


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """The rows as an XLSX file (write-only: a file of many rows in little memory)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def baseline(content: bytes, filename: str) -> float:
    """Seconds to read the file and COPY its rows, as they are, into a scratch enterprise table."""
    from sqlalchemy import Column, MetaData, Table

    from torchfin.extensions import db
    from torchfin.models import Enterprise
    from torchfin.models.base import utcnow
    from torchfin.models.bulk import insert_rows
    from torchfin.services.registry.imports import cells
    from torchfin.services.uploaded_tables import read_table

    # The enterprise table's columns, unique credit code included; no foreign keys to satisfy.
    scratch = Table(
        "bench_enterprise_baseline",
        MetaData(),
        *(
            Column(c.name, c.type, primary_key=c.primary_key, unique=c.unique)
            for c in Enterprise.__table__.columns
        ),
    )
    scratch.drop(db.engine, checkfirst=True)
    scratch.create(db.engine)
    started = time.perf_counter()
    table = read_table(filename, content, 1 << 30)
    now = utcnow()
    rows = [
        {
            "id": number,
            "credit_code": cells.text(row[0]),
            "name": row[1],
            "zone_id": 1,
            "registered_address": row[3] or "",
            "founded_on": cells.day(row[4]),
            "legal_form": "llc",
            "description": "",
            "employees": row[8] or None,
            "invention_patents_granted": 0,
            "invention_patents_pending": 0,
            "doc_version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for number, row in enumerate(table.rows[1:], start=1)
    ]
    for start in range(0, len(rows), 2000):
        insert_rows(db.session, scratch, rows[start : start + 2000])
    db.session.commit()
    elapsed = time.perf_counter() - started
    scratch.drop(db.engine)
    return elapsed


def timed_import(content: bytes, filename: str, documents: int) -> tuple[float, float, str]:
    """Seconds from the file handed over to the import done, and to every enterprise
    searchable with the outbox empty; and the import's counts."""
    from sqlalchemy import func, select

    from search.indices import alias_name
    from torchfin.extensions import db, search_client
    from torchfin.models import OutboxEvent, RegistryImport
    from torchfin.models.enums import BatchStatus
    from torchfin.services.registry.imports import records

    es = search_client()
    index = alias_name(PREFIX, "enterprise")
    started = time.perf_counter()
    import_id = records.start_import(None, filename, content, None, dry_run=False).id
    while True:
        db.session.rollback()
        record = db.session.get(RegistryImport, import_id)
        if record.status in (BatchStatus.DONE, BatchStatus.FAILED):
            break
        time.sleep(0.2)
    imported = time.perf_counter() - started
    if record.status != BatchStatus.DONE:
        raise SystemExit(f"the import failed: {record.error}")
    counts = (
        f"import {record.id}: {record.created:,} created, {record.updated:,} updated, "
        f"{record.unchanged:,} unchanged, {record.failed:,} failed"
    )
    while True:
        es.indices.refresh(index=index)
        outbox = db.session.scalar(select(func.count()).select_from(OutboxEvent))
        db.session.rollback()
        if es.count(index=index)["count"] >= documents and outbox == 0:
            break
        time.sleep(0.2)
    return imported, time.perf_counter() - started, counts


def main() -> None:
    """Parse the sizes, seed, run the import and the baseline, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--existing", type=int, default=20_000, help="enterprises seeded")
    parser.add_argument("--projects", type=int, default=5_000, help="projects seeded")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_IMPORT_DATABASE_URL",
            "postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_bench_import",
        ),
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SEARCH_INDEX_PREFIX": PREFIX,
        "RQ_QUEUE_PREFIX": PREFIX,
    }
    os.environ.update(env)
    empty_database(args.database_url)
    from torchfin import create_app

    with create_app().app_context():
        started = time.perf_counter()
        prepare(args.existing, args.projects)
        header, rows, new = file_rows(args.rows, args.seed)
        path = Path(tempfile.gettempdir()) / f"torchfin-bench-import-{args.rows}.xlsx"
        write_xlsx(path, header, rows)
        content = path.read_bytes()
        console.print(
            f"prepared in {time.perf_counter() - started:.0f} s: {args.existing:,} enterprises "
            f"indexed; file of {len(rows):,} rows ({new:,} new), {len(content) / 1e6:.1f} MB"
        )
        console.print(f"load before: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
        base = baseline(content, path.name)
        workers = start_workers(env, args.workers)
        try:
            imported, searchable, counts = timed_import(content, path.name, args.existing + new)
        finally:
            stop_workers(workers)
        console.print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    table = Table(title=f"registry import: {len(rows):,} rows (XLSX), {args.workers} workers")
    for column in ("path", "seconds", "rows/s"):
        table.add_column(column, justify="left" if column == "path" else "right")
    table.add_row("import, until done", f"{imported:.1f}", f"{len(rows) / imported:,.0f}")
    table.add_row("import, until searchable", f"{searchable:.1f}", f"{len(rows) / searchable:,.0f}")
    table.add_row("baseline: read + COPY", f"{base:.1f}", f"{len(rows) / base:,.0f}")
    table.add_row("ratio: import until searchable / baseline", f"{searchable / base:.2f}x", "")
    console.print(table)
    console.print(counts)


if __name__ == "__main__":
    main()
