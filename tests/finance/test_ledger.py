"""`flask ledger check`: balanced books pass; unbalanced or wrongly booked payments fail it."""

from decimal import Decimal

from sqlalchemy import update

from tests.finance.conftest import book_deposit
from torchfin.extensions import db
from torchfin.finance_cli import ledger_check
from torchfin.models import LedgerPosting, Payment
from torchfin.models.enums import PaymentState
from torchfin.services import ledger


def test_balanced_books_pass(app):
    book_deposit()
    assert ledger.balance(db.session, "pool:1") == Decimal("500.00")
    assert ledger.balance(db.session, "sponsor:1") == Decimal("-500.00")
    result = app.test_cli_runner().invoke(ledger_check)
    assert result.exit_code == 0 and "1 transactions checked, 0 problems" in result.output


def test_unbalanced_transaction_fails_the_check(app):
    book_deposit()
    db.session.execute(
        update(LedgerPosting).where(LedgerPosting.account == "pool:1").values(amount=600)
    )
    db.session.commit()
    problems = ledger.check(db.engine)[1]
    assert len(problems) == 1 and problems[0].message.startswith("postings sum to 100")
    assert app.test_cli_runner().invoke(ledger_check).exit_code == 1


def test_succeeded_payment_without_booking_fails_the_check(app):
    book_deposit()
    db.session.execute(update(Payment).values(state=PaymentState.FAILED))
    db.session.commit()
    messages = [p.message for p in ledger.check(db.engine)[1]]
    assert messages == ["booked, but the payment did not succeed"]


def test_a_payment_booked_during_the_check_is_seen_whole_or_not_at_all(app, commit_during):
    book_deposit()
    commit_during("payment", lambda: book_deposit(number=2))
    # The check reads the transactions, then the payments: the second commits in between.
    assert ledger.check(db.engine) == (1, [])
    assert ledger.check(db.engine) == (2, [])
