"""A policy's yearly budget: reserved by approvals under a row lock, never overdrawn, then paid.

Approvals of one policy take turns on its budget row (`SELECT ... FOR UPDATE` on PostgreSQL; on
SQLite the locking read takes the database's write lock, `torchfin/sqlite_concurrency.py`), so
each sees what the others reserved: two approvals of 600,000 on a budget of 1,000,000 give one
reservation and one refusal that names the 400,000 left.
"""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from torchfin.models import Policy, PolicyBudget
from torchfin.services.errors import Conflict


def budget_left(budget: PolicyBudget) -> Decimal | None:
    """What the year's budget still allows (None: no limit)."""
    if budget.amount is None:
        return None
    return budget.amount - budget.reserved - budget.paid


def _find(session: Session, zone_id: int, code: str, year: int, lock: bool) -> PolicyBudget | None:
    query = select(PolicyBudget).where(
        PolicyBudget.zone_id == zone_id, PolicyBudget.policy_code == code, PolicyBudget.year == year
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query.execution_options(populate_existing=True))


def locked_budget(session: Session, policy: Policy, year: int) -> PolicyBudget:
    """The budget row of `policy`'s code for `year`, locked; made from the policy if missing.

    Two first approvals of a year may both find no row: the second insert fails on the unique
    (zone, code, year) inside its savepoint, and it then locks the row the first one made.
    """
    budget = _find(session, policy.zone_id, policy.code, year, lock=True)
    if budget is not None:
        return budget
    try:
        with session.begin_nested():
            session.add(
                PolicyBudget(
                    zone_id=policy.zone_id,
                    policy_code=policy.code,
                    year=year,
                    amount=policy.yearly_budget,
                    reserved=Decimal("0.00"),
                    paid=Decimal("0.00"),
                )
            )
    except IntegrityError:
        pass
    return _find(session, policy.zone_id, policy.code, year, lock=True)


def reserve(session: Session, policy: Policy, year: int, amount: Decimal) -> PolicyBudget:
    """Reserve `amount` on the year's budget, or refuse (409) naming what is left."""
    budget = locked_budget(session, policy, year)
    left = budget_left(budget)
    if left is not None and amount > left:
        raise Conflict(
            f"the {year} budget of policy {policy.code} has {left:,.2f} yuan left; "
            f"{amount:,.2f} cannot be approved",
            {"amount": [f"Budget left: {left:.2f}."]},
        )
    budget.reserved += amount
    return budget


def mark_paid(session: Session, policy: Policy, year: int, amount: Decimal) -> None:
    """A reserved amount was paid out: it moves from reserved to paid."""
    budget = locked_budget(session, policy, year)
    budget.reserved -= amount
    budget.paid += amount
