"""Claim batch approval: several claims of a pool approved by one real RQ job, each once."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.finance import loss_parts, make_pool, today
from torchfin.extensions import db
from torchfin.models import AuditEvent, LedgerTransaction, PoolBatchRow, PoolClaim
from torchfin.models.enums import ClaimState
from torchfin.services.finance import audit, ledger


def _loan(client, parties, pool_id: int, loan_no: str, principal: str) -> int:
    response = client.post(
        f"/api/v1/pools/{pool_id}/loans",
        json={
            "enterprise_id": parties.enterprise_id,
            "loan_no": loan_no,
            "principal": principal,
            "maturity_on": str(today() + timedelta(days=365)),
        },
        headers=auth(parties.banker),
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _claim(client, parties, loan_id: int, net_loss: str, review: bool = True) -> int:
    claim = client.post(
        f"/api/v1/pool-loans/{loan_id}/claims",
        json={**loss_parts(net_loss), "days_overdue": 120},
        headers=auth(parties.banker),
    )
    assert claim.status_code == 201, claim.json
    if review:
        url = f"/api/v1/claims/{claim.json['id']}/review"
        assert client.post(url, json={}, headers=auth(parties.sponsor)).status_code == 200
    return claim.json["id"]


def _approvals(claim_id: int) -> int:
    query = select(func.count()).select_from(AuditEvent)
    return db.session.scalar(
        query.where(AuditEvent.subject == f"claim:{claim_id}", AuditEvent.action == "approve")
    )


def _statuses(batch_id: int) -> list[tuple[int, str]]:
    rows = db.session.scalars(
        select(PoolBatchRow).where(PoolBatchRow.batch_id == batch_id).order_by(PoolBatchRow.row_no)
    )
    return [(row.row_no, row.status.value) for row in rows]


def test_claim_batch_approved_twice_has_one_effect_each(client, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    deposit = client.post(
        f"/api/v1/pools/{pool_id}/deposits",
        json={"amount": "1000000.00"},
        headers=auth(parties.sponsor),
    )
    assert deposit.status_code == 202, deposit.json
    run_worker()
    # Both loans registered before the first claim: a defaulted loan stops registrations.
    loans = [_loan(client, parties, pool_id, f"L-{n}", "1000000.00") for n in (1, 2)]
    first = _claim(client, parties, loans[0], "600000.00")
    second = _claim(client, parties, loans[1], "1000000.00")
    url = f"/api/v1/pools/{pool_id}/claim-approvals"
    body = {"claim_ids": [first, second, 999_999]}

    assert client.post(url, json=body, headers=auth(parties.banker)).status_code == 403
    response = client.post(url, json=body, headers=auth(parties.sponsor))
    assert response.status_code == 202, response.json
    batch = response.json
    assert (batch["total"], batch["done"], batch["counts"]["error"]) == (3, 1, 1)
    assert "no claim 999999" in batch["errors"][0]["message"]
    run_worker()

    done = client.get(f"/api/v1/pool-batches/{batch['id']}", headers=auth(parties.sponsor)).json
    assert (done["status"], done["done"]) == ("done", 3)
    assert _statuses(batch["id"]) == [(1, "applied"), (2, "applied"), (3, "error")]
    # Each approval worked out its payable against what the one before reserved: 50 % of
    # 600,000.00, then 50 % of 1,000,000.00 = 500,000.00 capped by the 700,000.00 left.
    claims = {claim_id: db.session.get(PoolClaim, claim_id) for claim_id in (first, second)}
    assert [claims[first].state, claims[second].state] == [ClaimState.APPROVED] * 2
    assert (claims[first].payable, claims[second].payable) == (
        Decimal("300000.00"),
        Decimal("500000.00"),
    )
    assert claims[second].working["limits"]["pool_balance_available"] == "700000.00"
    assert _approvals(first) == _approvals(second) == 1

    again = client.post(url, json=body, headers=auth(parties.sponsor))
    assert again.status_code == 202, again.json
    run_worker()
    assert _statuses(again.json["id"]) == [(1, "duplicate"), (2, "duplicate"), (3, "error")]
    assert _approvals(first) == _approvals(second) == 1
    db.session.expire_all()
    assert db.session.get(PoolClaim, second).payable == Decimal("500000.00")
    assert db.session.scalar(select(func.count()).select_from(LedgerTransaction)) == 1  # deposit
    assert ledger.check(db.engine)[1] == []
    assert audit.verify(db.engine)[1] == []

    rows = client.get(
        f"/api/v1/pool-batches/{again.json['id']}/rows", headers=auth(parties.sponsor)
    ).json
    assert [(row["claim_id"], row["loan_no"]) for row in rows] == [
        (first, "L-1"),
        (second, "L-2"),
        (None, ""),
    ]
    assert "already approved" in rows[0]["message"]
    # The bank sees no batch of the sponsor's.
    hidden = client.get(f"/api/v1/pool-batches/{batch['id']}", headers=auth(parties.banker))
    assert hidden.status_code == 404


def test_a_claim_not_in_review_is_an_error_row_and_the_others_proceed(client, parties, run_worker):
    pool_id = make_pool(parties.zone).id
    claim = {
        "id": _claim(
            client,
            parties,
            _loan(client, parties, pool_id, "L-9", "100.00"),
            "100.00",
            review=False,
        )
    }
    response = client.post(
        f"/api/v1/pools/{pool_id}/claim-approvals",
        json={"claim_ids": [claim["id"], claim["id"]]},
        headers=auth(parties.sponsor),
    )
    assert response.status_code == 202, response.json
    run_worker()
    assert _statuses(response.json["id"]) == [(1, "error"), (2, "error")]
    rows = db.session.scalars(select(PoolBatchRow).order_by(PoolBatchRow.row_no)).all()
    assert "filed" in rows[0].message and "repeats row 1" in rows[1].message
    assert db.session.get(PoolClaim, claim["id"]).state == ClaimState.FILED
    empty = client.post(
        f"/api/v1/pools/{pool_id}/claim-approvals",
        json={"claim_ids": []},
        headers=auth(parties.sponsor),
    )
    assert empty.status_code == 422 and "claim_ids" in empty.json["errors"]["json"]
