"""`flask ledger check`: balanced books pass; unbalanced or wrongly booked payments fail it."""

from decimal import Decimal

from sqlalchemy import update

from torchfin.extensions import db
from torchfin.finance_cli import ledger_check
from torchfin.models import LedgerPosting, Payment
from torchfin.models.enums import PaymentPurpose, PaymentState
from torchfin.services import ledger


def _booked_payment(key: str = "pool:1:pool_deposit:1") -> Payment:
    payment = Payment(
        idempotency_key=key,
        purpose=PaymentPurpose.POOL_DEPOSIT,
        amount=Decimal("500.00"),
        payer="sponsor:1",
        payee="pool:1",
        subject="pool:1",
        state=PaymentState.SUCCEEDED,
    )
    db.session.add(payment)
    db.session.flush()
    ledger.book_transfer(
        db.session, f"payment:{payment.id}", payment.purpose, "sponsor:1", "pool:1", payment.amount
    )
    db.session.commit()
    return payment


def test_balanced_books_pass(app):
    _booked_payment()
    assert ledger.balance(db.session, "pool:1") == Decimal("500.00")
    assert ledger.balance(db.session, "sponsor:1") == Decimal("-500.00")
    result = app.test_cli_runner().invoke(ledger_check)
    assert result.exit_code == 0 and "1 transactions checked, 0 problems" in result.output


def test_unbalanced_transaction_fails_the_check(app):
    _booked_payment()
    db.session.execute(
        update(LedgerPosting).where(LedgerPosting.account == "pool:1").values(amount=600)
    )
    db.session.commit()
    problems = ledger.check(db.engine)[1]
    assert len(problems) == 1 and problems[0].message.startswith("postings sum to 100")
    assert app.test_cli_runner().invoke(ledger_check).exit_code == 1


def test_succeeded_payment_without_booking_fails_the_check(app):
    _booked_payment()
    db.session.execute(update(Payment).values(state=PaymentState.FAILED))
    db.session.commit()
    messages = [p.message for p in ledger.check(db.engine)[1]]
    assert messages == ["booked, but the payment did not succeed"]


def test_a_payment_booked_during_the_check_is_seen_whole_or_not_at_all(app, commit_during):
    _booked_payment()
    commit_during("payment", lambda: _booked_payment("pool:1:pool_deposit:2"))
    # The check reads the transactions, then the payments: the second commits in between.
    assert ledger.check(db.engine) == (1, [])
    assert ledger.check(db.engine) == (2, [])
