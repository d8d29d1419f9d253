"""`flask ledger check`: balanced books pass; unbalanced or wrongly booked payments fail it."""

from decimal import Decimal

from sqlalchemy import delete, select, update

from tests.factories.finance import book_deposit, book_payment, make_pool, today
from torchfin.commands.finance import ledger_check
from torchfin.extensions import db
from torchfin.models import LedgerPosting, LedgerTransaction, Payment, PoolClaim, PoolLoan
from torchfin.models.enums import ClaimState, PaymentPurpose, PaymentState
from torchfin.services.finance import ledger


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


def test_a_guarantee_fee_charged_twice_fails_the_check_though_the_books_balance(app):
    for number in (1, 2):
        book_payment(
            "guarantee:7",
            PaymentPurpose.GUARANTEE_FEE,
            Decimal("2400.00"),
            "enterprise:1",
            "agency:2",
            number,
        )
    problems = ledger.check(db.engine)[1]
    assert [(p.reference, p.message) for p in problems] == [
        ("guarantee:7", "2 guarantee_fee payments; one at most")
    ]
    result = app.test_cli_runner().invoke(ledger_check)
    assert result.exit_code == 1 and "guarantee_fee payments; one at most" in result.output


def _claim(parties, pool_id: int, payable: str, state: ClaimState) -> PoolClaim:
    loan = PoolLoan(
        pool_id=pool_id,
        bank_id=parties.bank_id,
        enterprise_id=parties.enterprise_id,
        loan_no=f"L-{payable}",
        principal=Decimal("1000.00"),
        registered_on=today(),
        maturity_on=today(),
    )
    claim = PoolClaim(
        pool_id=pool_id,
        loan=loan,
        net_loss=Decimal("1000.00"),
        days_overdue=120,
        filed_on=today(),
        payable=Decimal(payable),
        state=state,
    )
    db.session.add(claim)
    db.session.commit()
    return claim


def test_approved_claims_above_the_pool_balance_fail_the_check(app, parties):
    pool_id = make_pool(parties.zone).id
    book_deposit(pool_id)
    _claim(parties, pool_id, "300.00", ClaimState.APPROVED)
    assert ledger.check(db.engine)[1] == []
    _claim(parties, pool_id, "250.00", ClaimState.APPROVED)
    problems = ledger.check(db.engine)[1]
    assert [(p.reference, p.message) for p in problems] == [
        (f"pool:{pool_id}", "approved claims owe 550.00, above the balance 500.00")
    ]


def test_a_payout_above_the_approved_payable_fails_the_check(app, parties):
    pool_id = make_pool(parties.zone).id
    book_deposit(pool_id)
    claim_id = _claim(parties, pool_id, "100.00", ClaimState.PAID).id
    book_payment(
        f"claim:{claim_id}",
        PaymentPurpose.POOL_PAYOUT,
        Decimal("150.00"),
        f"pool:{pool_id}",
        f"bank:{parties.bank_id}",
    )
    problems = ledger.check(db.engine)[1]
    assert [(p.reference, p.message) for p in problems] == [
        (f"claim:{claim_id}", "paid out 150.00, above its payable 100.00")
    ]


def test_a_succeeded_payment_left_unbooked_fails_the_check(app):
    book_deposit()
    db.session.execute(delete(LedgerPosting))
    db.session.execute(delete(LedgerTransaction))
    db.session.commit()
    reference = f"payment:{db.session.scalar(select(Payment.id))}"
    assert ledger.check(db.engine) == (
        0,
        [ledger.LedgerProblem(reference, "payment succeeded but is not booked")],
    )


def test_a_one_legged_transaction_fails_the_check(app):
    book_deposit()
    db.session.execute(delete(LedgerPosting).where(LedgerPosting.account == "sponsor:1"))
    db.session.commit()
    messages = [p.message for p in ledger.check(db.engine)[1]]
    assert messages == ["postings sum to 500.00, not 0", "1 posting(s); needs two or more"]


def test_amounts_that_balance_to_the_fen_pass_on_every_database(app):
    # SQLite sums in floating point: these postings sum to -2.3e-13 there, which is 0.00.
    with db.session.begin_nested():
        db.session.add(
            LedgerTransaction(
                reference="adjust:1",
                kind="adjustment",
                postings=[
                    LedgerPosting(account="pool:1", amount=Decimal("651.59")),
                    LedgerPosting(account="pool:1", amount=Decimal("788.72")),
                    LedgerPosting(account="pool:1", amount=Decimal("93.86")),
                    LedgerPosting(account="sponsor:1", amount=Decimal("-1534.17")),
                ],
            )
        )
    db.session.commit()
    assert ledger.check(db.engine) == (1, [])
