"""Month-end repayment files: checked row by row, applied once by a real RQ worker.

The file below is worked by hand: loan A (100,000.00) is repaid 30,000.00 twice (two bank
references), loan B (50,000.00) whole, and one row asks 50,000.00 more of A than the 40,000.00
it still owes; seven rows are refused by the check. Uploaded again, it changes nothing.
"""

import io
from datetime import timedelta
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.finance import make_pool, today
from tests.spreadsheets import read_csv, read_xlsx
from torchfin.extensions import db
from torchfin.models import (
    AuditEvent,
    LedgerTransaction,
    PoolBatch,
    PoolBatchRow,
    PoolLoan,
    PoolRepayment,
)
from torchfin.models.enums import BatchStatus, PoolLoanState
from torchfin.services.finance import audit, ledger

REGISTERED = 60  # days before today the loans were registered


def _loan(client, parties, pool_id: int, loan_no: str, principal: str, banker=None) -> int:
    body = {
        "enterprise_id": parties.enterprise_id,
        "loan_no": loan_no,
        "principal": principal,
        "registered_on": str(today() - timedelta(days=REGISTERED)),
        "maturity_on": str(today() + timedelta(days=365)),
    }
    response = client.post(
        f"/api/v1/pools/{pool_id}/loans", json=body, headers=auth(banker or parties.banker)
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _upload(client, user, pool_id: int, content: bytes, name: str, query: str = ""):
    return client.post(
        f"/api/v1/pools/{pool_id}/repayment-batches{query}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers=auth(user),
    )


def _month_end_file() -> tuple[bytes, str]:
    first, second = today() - timedelta(days=30), today() - timedelta(days=5)
    lines = [
        "贷款编号,还款金额,还款日期,流水号",
        f"L-A,30000.00,{first},R1",  # 2 applied
        f"L-A,30000.00,{first},R2",  # 3 applied: another repayment, told apart by its reference
        f"L-B,50000,{second},",  # 4 applied, and B is repaid in full
        f"L-A,12.345,{first},",  # 5 three decimals
        f"L-A,-5,{first},",  # 6 not above zero
        f"L-NOPE,100.00,{first},",  # 7 no such loan
        f"L-X,100.00,{first},",  # 8 another bank's loan: unknown to this bank
        f"L-C,100.00,{first},",  # 9 this bank's loan in another pool
        "L-A,10.00,2026-13-40,",  # 10 not a date
        f"L-A,30000.00,{first},R1",  # 11 repeats row 2
        f"L-A,50000.00,{second},",  # 12 passes the check; the job finds 40,000.00 outstanding
    ]
    return "\n".join(lines).encode("utf-8"), str(second)


def _setup(client, parties) -> dict[str, int]:
    pool_id = make_pool(parties.zone).id
    other_pool_id = make_pool(parties.zone, name="东湖科技信贷风险补偿资金池").id
    ids = {
        "pool": pool_id,
        "A": _loan(client, parties, pool_id, "L-A", "100000.00"),
        "B": _loan(client, parties, pool_id, "L-B", "50000.00"),
        "X": _loan(client, parties, pool_id, "L-X", "70000.00", banker=parties.other_banker),
        "C": _loan(client, parties, other_pool_id, "L-C", "80000.00"),
    }
    return ids


def _statuses(batch_id: int) -> dict[int, str]:
    rows = db.session.scalars(select(PoolBatchRow).where(PoolBatchRow.batch_id == batch_id))
    return {row.row_no: row.status.value for row in rows}


def _repayment_transactions() -> int:
    query = select(func.count()).select_from(LedgerTransaction)
    return db.session.scalar(query.where(LedgerTransaction.kind == "loan_repayment"))


def _pool_actions(pool_id: int) -> list[str]:
    return [event.action for event in audit.timeline(db.session, f"pool:{pool_id}")]


def test_month_end_file_applies_good_rows_once_with_exact_books(client, parties, run_worker):
    ids = _setup(client, parties)
    pool_id = ids["pool"]
    content, second = _month_end_file()

    response = _upload(client, parties.banker, pool_id, content, "2026-11.csv")
    assert response.status_code == 202, response.json
    batch = response.json
    assert (batch["status"], batch["total"], batch["done"]) == ("queued", 11, 7)
    refused = {row["row_no"]: row["message"] for row in batch["errors"]}
    assert sorted(refused) == [5, 6, 7, 8, 9, 10, 11]
    assert refused[5].startswith("还款金额: ") and "two decimals" in refused[5]
    assert refused[6].startswith("还款金额: ") and "above zero" in refused[6]
    assert refused[7].startswith("贷款编号: ") and "no loan numbered L-NOPE" in refused[7]
    assert "no loan numbered L-X" in refused[8]  # another bank's loan stays unknown to it
    assert "another pool" in refused[9]
    assert refused[10].startswith("还款日期: ") and "not a date" in refused[10]
    assert "repeats row 2" in refused[11]

    run_worker()
    done = client.get(f"/api/v1/pool-batches/{batch['id']}", headers=auth(parties.banker)).json
    assert (done["status"], done["done"], done["total"]) == ("done", 11, 11)
    assert done["counts"] == {"pending": 0, "applied": 3, "duplicate": 0, "error": 8}
    row_12 = next(row for row in done["errors"] if row["row_no"] == 12)
    assert "40000.00" in row_12["message"]

    # The books, worked by hand: A repaid 60,000.00, B 50,000.00, from the borrower's account.
    assert ledger.balance(db.session, f"loan:{ids['A']}") == Decimal("60000.00")
    assert ledger.balance(db.session, f"loan:{ids['B']}") == Decimal("50000.00")
    assert ledger.balance(db.session, f"borrower:{parties.enterprise_id}") == Decimal("-110000.00")
    assert ledger.balance(db.session, f"loan:{ids['X']}") == Decimal("0.00")
    assert _repayment_transactions() == 3
    loan_b = db.session.get(PoolLoan, ids["B"])
    assert (loan_b.state, str(loan_b.repaid_on)) == (PoolLoanState.REPAID, second)
    assert db.session.get(PoolLoan, ids["A"]).state == PoolLoanState.ACTIVE
    actions = _pool_actions(pool_id)
    assert actions.count("repayment") == 3 and actions.count("repay_loan") == 1
    repaid = [e.data for e in audit.timeline(db.session, f"pool:{pool_id}") if e.data.get("amount")]
    assert [(e["loan_no"], e["amount"], e["outstanding"]) for e in repaid] == [
        ("L-A", "30000.00", "70000.00"),
        ("L-A", "30000.00", "40000.00"),
        ("L-B", "50000.00", "0.00"),
    ]
    assert ledger.check(db.engine)[1] == []
    assert audit.verify(db.engine)[1] == []

    # The per-row result file, CSV and XLSX.
    results = client.get(
        f"/api/v1/pool-batches/{batch['id']}/results?format=csv", headers=auth(parties.banker)
    )
    assert results.status_code == 200 and results.mimetype == "text/csv"
    table = read_csv(results.data)
    assert table[0][0] == "行号 row" and len(table) == 12
    assert [(r[0], r[1], r[3], r[4]) for r in table[1:4]] == [
        ("2", "L-A", "30000.00", "applied"),
        ("3", "L-A", "30000.00", "applied"),
        ("4", "L-B", "50000.00", "applied"),
    ]
    assert {r[4] for r in table[4:]} == {"error"}
    workbook = read_xlsx(
        client.get(
            f"/api/v1/pool-batches/{batch['id']}/results?format=xlsx",
            headers=auth(parties.banker),
        ).data
    )
    sheet = workbook.active
    assert sheet["D2"].value == 30000 and sheet["E4"].value == "applied"

    # The same file again: every row that took effect is a duplicate, nothing is booked.
    again = _upload(client, parties.banker, pool_id, content, "2026-11 (1).csv")
    assert again.status_code == 202, again.json
    run_worker()
    assert _statuses(again.json["id"]) == {
        **{n: "duplicate" for n in (2, 3, 4)},
        **{n: "error" for n in range(5, 13)},
    }
    assert _repayment_transactions() == 3
    assert db.session.scalar(select(func.count()).select_from(PoolRepayment)) == 3
    assert _pool_actions(pool_id) == actions
    assert ledger.balance(db.session, f"loan:{ids['A']}") == Decimal("60000.00")


def test_rerun_of_a_finished_or_interrupted_batch_changes_nothing(client, parties, run_worker):
    from torchfin.queues import Job, enqueue

    ids = _setup(client, parties)
    first = str(today() - timedelta(days=3))
    content = f"loan number,amount,date\nL-A,1000.00,{first}\nL-B,2000.00,{first}\n".encode()
    batch_id = _upload(client, parties.banker, ids["pool"], content, "m.csv").json["id"]
    run_worker()
    # A worker killed after row 2 committed: the batch still says running, row 3 pending.
    batch = db.session.get(PoolBatch, batch_id)
    batch.status, batch.done = BatchStatus.RUNNING, 1
    row_3 = db.session.scalar(select(PoolBatchRow).where(PoolBatchRow.row_no == 3))
    row_3.status = "pending"
    db.session.commit()
    enqueue(Job.RUN_POOL_BATCH, batch_id)
    enqueue(Job.RUN_POOL_BATCH, batch_id)  # and a second delivery of the same job
    run_worker()
    assert _statuses(batch_id) == {2: "applied", 3: "duplicate"}
    assert db.session.get(PoolBatch, batch_id).status == BatchStatus.DONE
    assert _repayment_transactions() == 2
    assert ledger.balance(db.session, f"loan:{ids['B']}") == Decimal("2000.00")


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_and_gbk_files_and_a_dry_run_that_writes_nothing(client, parties, run_worker):
    ids = _setup(client, parties)
    day = today() - timedelta(days=2)
    gbk = f"贷款编号,还款金额,还款日期\nL-A,1234.56,{day:%Y/%m/%d}\n".encode("gbk")
    dry = _upload(client, parties.banker, ids["pool"], gbk, "十一月.csv", "?dry_run=true")
    assert dry.status_code == 200, dry.json
    assert (dry.json["dry_run"], dry.json["total"], dry.json["counts"]["pending"]) == (True, 1, 1)
    assert db.session.scalar(select(func.count()).select_from(PoolBatch)) == 0

    # Excel keeps numbers as floats and dates as dates: 1234.56 stays 1234.56.
    content = _xlsx([["Loan number", "Amount", "Date"], ["L-A", 1234.56, day], ["L-B", 0.1, day]])
    response = _upload(client, parties.banker, ids["pool"], content, "nov.xlsx")
    assert response.status_code == 202, response.json
    run_worker()
    assert _statuses(response.json["id"]) == {2: "applied", 3: "applied"}
    assert ledger.balance(db.session, f"loan:{ids['A']}") == Decimal("1234.56")
    assert ledger.balance(db.session, f"loan:{ids['B']}") == Decimal("0.10")
    # The GBK file is the same repayment as the XLSX row: applied, it is now a duplicate.
    redo = _upload(client, parties.banker, ids["pool"], gbk, "十一月.csv")
    assert redo.json["counts"]["duplicate"] == 1 and redo.json["status"] == "done"


def test_unreadable_files_are_422_with_field_messages_and_write_nothing(client, parties):
    ids = _setup(client, parties)
    day = today()
    cases = {
        "empty.csv": (b"", "The file is empty."),
        "blank.csv": ("\ufeff\n\n".encode(), "The file is empty."),
        "statement.pdf": (b"%PDF-1.7\n...", "Unsupported file type"),
        "fake.xlsx": (b"loan number,amount,date\n", "Unsupported file type"),
        "header.csv": ("贷款编号,还款金额,还款日期\n".encode(), "header but no rows"),
        "no-date.csv": (f"贷款编号,还款金额\nL-A,1.00,{day}\n".encode(), "还款日期 / date"),
    }
    for name, (content, expected) in cases.items():
        response = _upload(client, parties.banker, ids["pool"], content, name)
        assert response.status_code == 422, (name, response.json)
        messages = response.json["errors"]["files"]["file"]
        assert any(expected in message for message in messages), (name, messages)
    missing = _upload(client, parties.banker, ids["pool"], b"", "x.csv", "")
    assert missing.status_code == 422
    no_file = client.post(
        f"/api/v1/pools/{ids['pool']}/repayment-batches",
        data={},
        content_type="multipart/form-data",
        headers=auth(parties.banker),
    )
    assert no_file.status_code == 422 and "file" in no_file.json["errors"]["files"]
    for model in (PoolBatch, PoolBatchRow, PoolRepayment):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert _repayment_transactions() == 0
    # A sponsor uploads nothing: repayments are the bank's to report.
    content = f"贷款编号,还款金额,还款日期\nL-A,1.00,{day}\n".encode()
    assert _upload(client, parties.sponsor, ids["pool"], content, "m.csv").status_code == 403


def test_single_repayment_goes_through_the_same_rule_and_key(client, parties, run_worker):
    ids = _setup(client, parties)
    day = str(today() - timedelta(days=1))
    body = {"amount": "20000.00", "paid_on": day, "reference": "R9"}
    url = f"/api/v1/pool-loans/{ids['A']}/repayments"
    first = client.post(url, json=body, headers=auth(parties.banker))
    assert first.status_code == 201, first.json
    assert (first.json["created"], first.json["outstanding"]) == (True, "80000.00")
    again = client.post(url, json=body, headers=auth(parties.banker))
    assert (again.status_code, again.json["id"]) == (200, first.json["id"])
    too_much = client.post(
        url, json={"amount": "80000.01", "paid_on": day}, headers=auth(parties.banker)
    )
    assert too_much.status_code == 422 and "80000.00" in str(too_much.json["errors"])
    other = client.post(url, json=body, headers=auth(parties.other_banker))
    assert other.status_code == 403
    # The file row of the same repayment is a duplicate of the API call.
    content = f"贷款编号,还款金额,还款日期,流水号\nL-A,20000,{day},R9\n".encode()
    batch = _upload(client, parties.banker, ids["pool"], content, "m.csv").json
    assert batch["counts"]["duplicate"] == 1
    assert _repayment_transactions() == 1


def test_cli_checks_and_enqueues_a_file_for_any_bank_of_the_pool(
    app, client, parties, run_worker, tmp_path
):
    ids = _setup(client, parties)
    day = today() - timedelta(days=1)
    path = tmp_path / "month-end.csv"
    path.write_text(f"贷款编号,还款金额,还款日期\nL-A,500.00,{day}\nL-X,700.00,{day}\n")
    runner = app.test_cli_runner()
    args = ["pool", "repayments", str(path), "--pool", str(ids["pool"])]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert db.session.scalar(select(func.count()).select_from(PoolBatch)) == 0
    result = runner.invoke(args=[*args, "--no-follow"])
    assert result.exit_code == 0, result.output
    run_worker()
    assert ledger.balance(db.session, f"loan:{ids['A']}") == Decimal("500.00")
    assert ledger.balance(db.session, f"loan:{ids['X']}") == Decimal("700.00")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "repayment"))
    assert {event.actor_name for event in events} == {"system"}
    bad = tmp_path / "bad.csv"
    bad.write_text("贷款编号,还款金额\n")
    refused = runner.invoke(args=["pool", "repayments", str(bad), "--pool", str(ids["pool"])])
    assert refused.exit_code == 1 and "Missing column: 还款日期" in refused.output
