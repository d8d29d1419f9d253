"""The zone dashboard's policy figures: budgets, applications by state, time to decision, and
the financing each yuan of subsidy accompanied.

Every figure is one set-wise query per table (GROUP BY over the zone's applications or budget
rows), keyed by policy code, so all versions of a policy count together as they share one
budget. Definitions:
- budget: each budget year of a policy (the rows approvals made), plus this year's budget of
  every current policy no approval has touched yet; left = budget - reserved - paid, empty for
  the legacy rewards, which had no budget;
- applications by state: every application of the zone under the policy code; the average
  time to decision runs from applying to the approval or rejection (paid ones were approved
  first), in days to the hundredth;
- leverage: the subsidy paid (applications in state paid), the principal of the loans whose
  interest was subsidised (interest subsidies) and of the guaranteed loans whose fee was
  covered (fee subsidies), and their sum divided by the subsidy paid. The zone's total row
  counts a loan once even when both its interest and its fee were subsidised.
"""

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, extract, func, select

from torchfin.extensions import db
from torchfin.models import GuaranteeCase, Policy, PolicyApplication, PolicyBudget, Zone
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState, PolicyKind
from torchfin.services.dashboards.tables import Table, yuan
from torchfin.services.finance.policies.applications import current_policies
from torchfin.services.finance.policies.budgets import budget_left
from torchfin.services.finance.policies.queries import unused_budget
from torchfin.services.finance.subjects import GUARANTEE, subject_expression

ZONE_TOTAL = "zone_total"
STATES = tuple(ApplicationState)
# The policies whose subject is a loan guaranteed on the platform, and which column its
# principal counts under.
LOAN_PRINCIPAL = (PolicyKind.INTEREST_SUBSIDY, PolicyKind.IP_PLEDGE_INTEREST_SUBSIDY)
GUARANTEE_AMOUNT = (PolicyKind.GUARANTEE_FEE_SUBSIDY,)
_HUNDREDTH = Decimal("0.01")
_SECONDS_A_DAY = 86_400


def policy_names(zone: Zone) -> dict[str, tuple[str, str]]:
    """The Chinese and English names of the zone's policy codes (their current versions)."""
    return {p.code: (p.name_zh, p.name_en) for p in current_policies(db.session, zone.id)}


def _declared(policies: list[Policy]) -> set[str]:
    """The codes of the zone's own policies (not the legacy rewards, shown once they hold any)."""
    return {p.code for p in policies if not p.legacy}


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def policy_budgets(zone: Zone, policies: list[Policy]) -> Table:
    """Budget, reserved, paid and left per policy code and year (this year for every code)."""
    year = utcnow().year
    found = {
        (row.policy_code, row.year): row
        for row in db.session.scalars(select(PolicyBudget).where(PolicyBudget.zone_id == zone.id))
    }
    current = {p.code: p for p in policies}
    keys = set(found) | {(code, year) for code in _declared(policies)}
    rows = []
    for code, budget_year in sorted(keys, key=lambda key: (-key[1], key[0])):
        row = found.get((code, budget_year)) or unused_budget(current[code])
        left = budget_left(row)
        rows.append(
            (
                code,
                budget_year,
                None if row.amount is None else yuan(row.amount),
                yuan(row.reserved),
                yuan(row.paid),
                None if left is None else yuan(left),
            )
        )
    return Table("policy_budget", ("policy", "year", "budget", "reserved", "paid", "left"), rows)


def _days_to_decision() -> ColumnElement:
    """Days from applying to the decision, as the database computes a difference of times."""
    applied, decided = PolicyApplication.applied_at, PolicyApplication.decided_at
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(decided) - func.julianday(applied)
    return extract("epoch", decided - applied) / _SECONDS_A_DAY


def _days(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(_HUNDREDTH, ROUND_HALF_UP)


def policy_applications(zone: Zone, policies: list[Policy]) -> Table:
    """Applications per policy code and state, and the average days to a decision."""
    in_zone = PolicyApplication.zone_id == zone.id
    counts: dict[str, dict[ApplicationState, int]] = {}
    for code, state, n in db.session.execute(
        select(PolicyApplication.policy_code, PolicyApplication.state, func.count())
        .where(in_zone)
        .group_by(PolicyApplication.policy_code, PolicyApplication.state)
    ):
        counts.setdefault(code, {})[state] = n
    decided = PolicyApplication.decided_at.is_not(None)
    days = dict(
        db.session.execute(
            select(PolicyApplication.policy_code, func.avg(_days_to_decision()))
            .where(in_zone, decided)
            .group_by(PolicyApplication.policy_code)
        ).all()
    )
    all_days = db.session.scalar(select(func.avg(_days_to_decision())).where(in_zone, decided))
    shown = _declared(policies) | set(counts)
    rows = [
        (p.code, *(counts.get(p.code, {}).get(s, 0) for s in STATES), _days(days.get(p.code)))
        for p in policies
        if p.code in shown
    ]
    totals = tuple(sum(row[1 + i] for row in rows) for i in range(len(STATES)))
    rows.append((ZONE_TOTAL, *totals, _days(all_days)))
    columns = ("policy", *(s.value for s in STATES), "decision_days")
    return Table("policy_applications", columns, rows)


def _paid_loans(zone: Zone, kinds: tuple[PolicyKind, ...]):
    """The zone's paid applications under `kinds`, joined to the guarantee case they name."""
    subject = subject_expression(GUARANTEE, GuaranteeCase.id)
    return (
        select(PolicyApplication.policy_code, GuaranteeCase.id, GuaranteeCase.principal)
        .join(Policy, Policy.id == PolicyApplication.policy_id)
        .join(GuaranteeCase, PolicyApplication.subject == subject)
        .where(
            PolicyApplication.zone_id == zone.id,
            PolicyApplication.state == ApplicationState.PAID,
            Policy.kind.in_(kinds),
        )
        .subquery()
    )


def _principal_by_code(zone: Zone, kinds: tuple[PolicyKind, ...]) -> dict[str, Decimal]:
    loans = _paid_loans(zone, kinds)
    return {
        code: yuan(total)
        for code, total in db.session.execute(
            select(loans.c.policy_code, func.sum(loans.c.principal)).group_by(loans.c.policy_code)
        )
    }


def policy_leverage(zone: Zone, policies: list[Policy]) -> Table:
    """Subsidy paid per policy code, the financing it accompanied, and financing per yuan."""
    paid = {
        code: yuan(total)
        for code, total in db.session.execute(
            select(PolicyApplication.policy_code, func.sum(PolicyApplication.amount))
            .where(
                PolicyApplication.zone_id == zone.id,
                PolicyApplication.state == ApplicationState.PAID,
            )
            .group_by(PolicyApplication.policy_code)
        )
    }
    loans = _principal_by_code(zone, LOAN_PRINCIPAL)
    guaranteed = _principal_by_code(zone, GUARANTEE_AMOUNT)
    zero = yuan(0)
    shown = _declared(policies) | set(paid)
    rows = []
    for code in (p.code for p in policies if p.code in shown):
        subsidy, loan, guarantee = (
            paid.get(code, zero),
            loans.get(code, zero),
            guaranteed.get(code, zero),
        )
        rows.append((code, subsidy, loan, guarantee, _ratio(loan + guarantee, subsidy)))
    # A loan whose interest and fee were both subsidised is one loan of financing for the zone.
    every_loan = _paid_loans(zone, LOAN_PRINCIPAL + GUARANTEE_AMOUNT)
    distinct_loans = select(every_loan.c.id, every_loan.c.principal).distinct().subquery()
    financing = yuan(db.session.scalar(select(func.sum(distinct_loans.c.principal))))
    total_paid = sum(paid.values(), zero)
    rows.append(
        (
            ZONE_TOTAL,
            total_paid,
            sum(loans.values(), zero),
            sum(guaranteed.values(), zero),
            _ratio(financing, total_paid),
        )
    )
    columns = ("policy", "subsidy_paid", "loan_principal", "guarantee_amount", "per_yuan")
    return Table("policy_leverage", columns, rows)


def policy_tables(zone: Zone) -> list[Table]:
    """The three policy tables of the zone's dashboard, policies in code order."""
    policies = current_policies(db.session, zone.id)
    return [
        policy_budgets(zone, policies),
        policy_applications(zone, policies),
        policy_leverage(zone, policies),
    ]
