"""A pool's opening balance: recorded once by its sponsor, dated on or before its first booking,
and the statements of periods across and after that day reconcile with it."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from tests.factories.accounts import auth, make_zone_admin
from tests.factories.finance import book_deposit, make_pool, today
from tests.factories.registry import make_zone
from tests.page_helpers import row_counts
from torchfin.commands.finance import ledger_check
from torchfin.extensions import db
from torchfin.models import AuditEvent, LedgerPosting, LedgerTransaction
from torchfin.services.finance import audit, ledger


def _record(client, user, pool_id: int, dated_on, amount: str):
    return client.post(
        f"/api/v1/pools/{pool_id}/opening-balance",
        json={"dated_on": str(dated_on), "amount": amount},
        headers=auth(user),
    )


def _statement(client, user, pool_id: int, start, end) -> dict:
    response = client.get(
        f"/api/v1/pools/{pool_id}/statement?start={start}&end={end}", headers=auth(user)
    )
    assert response.status_code == 200, response.json
    return response.json


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _counts() -> tuple[int, ...]:
    return row_counts(LedgerTransaction, LedgerPosting, AuditEvent)


def test_statements_across_and_after_the_opening_day_reconcile_with_it(app, client, parties):
    pool_id = make_pool(parties.zone).id
    book_deposit(pool_id)  # the first booking on the platform, today: 500.00
    opened = today() - timedelta(days=40)
    response = _record(client, parties.sponsor, pool_id, opened, "1200000.00")
    assert response.status_code == 201, response.json
    assert response.json == {"pool_id": pool_id, "dated_on": str(opened), "amount": "1200000.00"}

    month_before = opened - timedelta(days=30)
    figures = {
        # before, the platform knows of nothing
        "before": _statement(client, parties.sponsor, pool_id, month_before,
                             opened - timedelta(days=2)),
        # what the pool held as the day began is the closing balance of the day before...
        "eve": _statement(client, parties.sponsor, pool_id, month_before,
                          opened - timedelta(days=1)),
        # ...so a period across the day brings it forward among its movements
        "across": _statement(client, parties.sponsor, pool_id, month_before, today()),
        # and a period starting on it, or after it, opens with it
        "from": _statement(client, parties.sponsor, pool_id, opened, today()),
        "after": _statement(client, parties.banker, pool_id, opened + timedelta(days=1), today()),
    }  # fmt: skip
    lines = {
        name: (s["opening_balance"], s["brought_forward"], s["deposits"], s["closing_balance"])
        for name, s in figures.items()
    }
    assert lines == {
        "before": ("0.00", "0.00", "0.00", "0.00"),
        "eve": ("0.00", "1200000.00", "0.00", "1200000.00"),
        "across": ("0.00", "1200000.00", "500.00", "1200500.00"),
        "from": ("1200000.00", "0.00", "500.00", "1200500.00"),
        "after": ("1200000.00", "0.00", "500.00", "1200500.00"),
    }
    assert all(statement["reconciles"] for statement in figures.values())

    assert ledger.balance(db.session, f"pool:{pool_id}") == Decimal("1200500.00")
    assert ledger.balance(db.session, f"opening_equity:{pool_id}") == Decimal("-1200000.00")
    [event] = [e for e in audit.timeline(db.session, f"pool:{pool_id}") if e.data]
    assert (event.action, event.actor_id) == ("record_opening_balance", parties.sponsor.id)
    assert event.data == {"dated_on": str(opened), "amount": "1200000.00"}
    board = client.get(f"/api/v1/pools/{pool_id}", headers=auth(parties.sme)).json
    assert board["opening_balance"] == response.json
    assert board["balance"] == "1200500.00"
    result = app.test_cli_runner().invoke(ledger_check)
    assert result.exit_code == 0 and "0 problems" in result.output, result.output


def test_the_same_figures_again_book_nothing_and_other_figures_are_refused(client, parties):
    pool_id = make_pool(parties.zone).id
    opened = today() - timedelta(days=3)
    first = _record(client, parties.sponsor, pool_id, opened, "800000.00")
    assert first.status_code == 201, first.json
    before = _counts()
    again = _record(client, parties.admin, pool_id, opened, "800000.00")
    assert (again.status_code, again.json) == (201, first.json)
    assert _counts() == before

    said = (
        f"The pool already has an opening balance of 800000.00 dated {opened}; it is recorded once."
    )
    other_amount = _record(client, parties.sponsor, pool_id, opened, "900000.00")
    assert other_amount.status_code == 422
    assert other_amount.json["errors"]["json"] == {"amount": [said]}
    other_day = _record(client, parties.sponsor, pool_id, today(), "900000.00")
    assert other_day.json["errors"]["json"] == {"dated_on": [said], "amount": [said]}
    assert _counts() == before


def test_a_day_after_the_first_booking_is_refused_naming_it(client, parties):
    pool_id = make_pool(parties.zone).id
    book_deposit(pool_id)
    first_day = today() - timedelta(days=10)
    db.session.execute(update(LedgerTransaction).values(value_at=_start_of(first_day)))
    db.session.commit()
    before = _counts()
    response = _record(client, parties.sponsor, pool_id, first_day + timedelta(days=1), "1.00")
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {
        "dated_on": [f"Must be on or before the pool's first booking, on {first_day}."]
    }
    assert _counts() == before
    assert _record(client, parties.sponsor, pool_id, first_day, "1.00").status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dated_on": "2026-01-01", "amount": "0.00"}, "amount"),
        ({"dated_on": "2026-01-01", "amount": "-5.00"}, "amount"),
        ({"dated_on": "2026-01-01", "amount": "100.001"}, "amount"),
        ({"dated_on": "2026-01-01", "amount": 100}, "amount"),
        ({"dated_on": "2026-01-01"}, "amount"),
        ({"dated_on": "1999-12-31", "amount": "100.00"}, "dated_on"),
        ({"dated_on": "2026-02-30", "amount": "100.00"}, "dated_on"),
        ({"amount": "100.00"}, "dated_on"),
    ],
)
def test_bad_figures_are_a_422_naming_the_field(client, parties, body, field):
    pool_id = make_pool(parties.zone).id
    before = _counts()
    response = client.post(
        f"/api/v1/pools/{pool_id}/opening-balance", json=body, headers=auth(parties.sponsor)
    )
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]["json"]) == [field]
    assert _counts() == before


def test_tomorrow_is_refused(client, parties):
    pool_id = make_pool(parties.zone).id
    response = _record(client, parties.sponsor, pool_id, today() + timedelta(days=1), "1.00")
    assert response.status_code == 422
    assert list(response.json["errors"]["json"]) == ["dated_on"]


def test_only_the_sponsor_and_admins_record_it(client, parties):
    pool_id = make_pool(parties.zone).id
    before = _counts()
    strangers = (
        parties.banker,
        parties.sme,
        make_zone_admin(make_zone("wuhan", "武汉东湖新技术开发区")),
    )
    for user in strangers:
        assert _record(client, user, pool_id, today(), "1.00").status_code == 403
    assert _counts() == before


def test_an_opening_balance_dated_after_a_booking_fails_the_ledger_check(client, parties):
    pool_id = make_pool(parties.zone).id
    assert _record(client, parties.sponsor, pool_id, today(), "100.00").status_code == 201
    book_deposit(pool_id)
    assert ledger.check(db.engine)[1] == []
    # Back-dated behind the recorded opening balance, as no request could do.
    yesterday = _start_of(today() - timedelta(days=1))
    db.session.execute(
        update(LedgerTransaction)
        .where(LedgerTransaction.kind == "pool_deposit")
        .values(value_at=yesterday)
    )
    db.session.commit()
    [problem] = ledger.check(db.engine)[1]
    assert problem.reference == f"opening_balance:pool:{pool_id}"
    assert problem.message.startswith(f"opening balance of pool:{pool_id} dated {today()}")
