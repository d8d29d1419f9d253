"""Risk-compensation pools (风险补偿资金池): funding, loan registration, claims and recoveries.

Rules chosen where the design is silent, after how zone pools are run:
- bad-loan ratio on a date = principal of defaulted loans / principal of loans registered and not
  repaid by that date; above the pool's threshold, registration is refused;
- a claim counts against the yearly cap of the year it was filed;
- the net loss is worked out from the parts the bank reports (`claim_loss`): outstanding
  principal + interest where the pool covers it - collateral and guarantees realised;
- payable = min(coverage × net loss, per-loan cap, yearly cap left, pool balance not reserved for
  approved claims), each rounded half up to the fen; it is worked out when filed and again when
  approved, and the working is kept with the claim;
- a bank's later recovery flows back in the proportion paid: recovered × payable / net loss,
  never more in total than the pool paid.

The commands and the rules they keep live here; a pool's opening balance, in `pool_opening`; the
statement and the dashboard, in `pool_figures`.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import AuditEvent, Payment, PoolClaim, PoolLoan, RiskPool, User, Zone
from torchfin.models.enums import ClaimState, PaymentPurpose, PaymentState, PoolLoanState, Role
from torchfin.services.errors import Conflict, Forbidden, Invalid, NotFound
from torchfin.services.finance import audit, ledger, paid_actions
from torchfin.services.finance.claim_loss import LossParts, refusals
from torchfin.services.finance.ledger import FEN, to_fen
from torchfin.services.finance.payments.gateway import PaymentRequest
from torchfin.services.finance.subjects import CLAIM, POOL, parse_subject, subject_of
from torchfin.services.permissions import is_admin
from torchfin.services.records import apply_fields, get_or_404
from torchfin.services.registry.enterprises import referenced_enterprise
from torchfin.services.workflow import Move, allowed_actions, check_move

L = PoolLoanState  # short name for the loan states
RATIO = Decimal("0.0001")
POOL_FIELDS = (
    "name",
    "sponsor",
    "zone_id",
    "coverage",
    "per_loan_cap",
    "yearly_cap",
    "days_overdue_threshold",
    "bad_loan_ratio_threshold",
    "covers_interest",
)
Z = Role.ZONE_ADMIN
CLAIM_MOVES = {
    "review": Move(frozenset({ClaimState.FILED}), ClaimState.REVIEWING, Z),
    "approve": Move(frozenset({ClaimState.REVIEWING}), ClaimState.APPROVED, Z),
    "reject": Move(frozenset({ClaimState.REVIEWING}), ClaimState.REJECTED, Z, ("reason",)),
    "pay": Move(
        frozenset({ClaimState.APPROVED}), ClaimState.PAID, Z, payment=PaymentPurpose.POOL_PAYOUT
    ),
}


def pool_subject(pool_id: int) -> str:
    """The audit subject (and ledger account) of a pool."""
    return subject_of(POOL, pool_id)


def claim_subject(claim_id: int) -> str:
    """The audit subject of a claim."""
    return subject_of(CLAIM, claim_id)


def is_sponsor(user: User, pool: RiskPool) -> bool:
    """True for the zone administrators of the pool's zone (the sponsor's staff)."""
    organisation = user.organisation
    return (
        user.role == Role.ZONE_ADMIN
        and organisation is not None
        and (organisation.zone_id == pool.zone_id)
    )


def require_bank(user: User) -> None:
    """Refuse anyone but a bank's user (banks register loans, file claims, report repayments)."""
    if user.role != Role.BANK or user.institution_id is None:
        raise Forbidden("only a bank registers loans, files claims and reports recoveries")


def create_pool(user: User, data: dict) -> RiskPool:
    """Set up a pool (admins, or the zone administration of its zone); fund it with `deposit`."""
    zone = db.session.get(Zone, data["zone_id"])
    if zone is None:
        raise Invalid("unknown zone", {"zone_id": ["No zone with this id."]})
    pool = RiskPool()
    apply_fields(pool, data, POOL_FIELDS)
    if not (is_admin(user) or is_sponsor(user, pool)):
        raise Forbidden("only an administrator or the zone's administration sets up a pool")
    if db.session.scalar(select(RiskPool.id).where(RiskPool.name == pool.name)):
        raise Conflict(f"a pool named {pool.name} exists", {"name": ["Already used."]})
    db.session.add(pool)
    db.session.flush()
    audit.record(db.session, pool_subject(pool.id), "create", actor=user, to_state="open")
    db.session.commit()
    return pool


def deposit(user: User, pool_id: int, amount: Decimal) -> Payment:
    """The sponsor pays money into the pool (carried out by a worker)."""
    # Locked: one deposit at a time per pool, so the pending-payment check below holds.
    pool = get_or_404(RiskPool, pool_id, "pool", lock=True)
    if not (is_admin(user) or is_sponsor(user, pool)):
        raise Forbidden("only the pool's sponsor pays into it")
    transfer = PaymentRequest(
        PaymentPurpose.POOL_DEPOSIT,
        amount,
        ledger.account("sponsor", pool.id),
        pool_subject(pool.id),
    )
    return paid_actions.request(pool_subject(pool.id), "deposit", transfer, user)


def bad_loan_ratio(session: Session, pool_id: int, on: date) -> Decimal:
    """Defaulted principal / principal registered and not repaid, as it stood on `on`."""
    live = (PoolLoan.registered_on <= on) & (
        PoolLoan.repaid_on.is_(None) | (PoolLoan.repaid_on > on)
    )
    bad = live & PoolLoan.defaulted_on.is_not(None) & (PoolLoan.defaulted_on <= on)
    total, defaulted = session.execute(
        select(
            func.coalesce(func.sum(case((live, PoolLoan.principal), else_=0)), 0),
            func.coalesce(func.sum(case((bad, PoolLoan.principal), else_=0)), 0),
        ).where(PoolLoan.pool_id == pool_id)
    ).one()
    if not total:
        return Decimal("0.0000")
    return (Decimal(defaulted) / Decimal(total)).quantize(RATIO, rounding=ROUND_HALF_UP)


def register_loan(user: User, pool_id: int, data: dict) -> PoolLoan:
    """A bank registers a loan into the pool, refused while the bad-loan ratio is too high."""
    require_bank(user)
    pool = get_or_404(RiskPool, pool_id, "pool")
    referenced_enterprise(data)
    if data["maturity_on"] <= data["registered_on"]:
        raise Invalid("dates", {"maturity_on": ["Must be after the registration date."]})
    ratio = bad_loan_ratio(db.session, pool.id, data["registered_on"])
    if ratio > pool.bad_loan_ratio_threshold:
        raise Conflict(
            f"pool {pool.id} accepts no new loans: its bad-loan ratio {ratio:.2%} is above "
            f"the threshold of {pool.bad_loan_ratio_threshold:.2%}"
        )
    loan = PoolLoan(pool=pool, bank_id=user.institution_id, state=L.ACTIVE)
    apply_fields(
        loan, data, ("enterprise_id", "loan_no", "principal", "registered_on", "maturity_on")
    )
    db.session.add(loan)
    db.session.flush()
    audit.record(
        db.session,
        pool_subject(pool.id),
        "register_loan",
        actor=user,
        data={"loan_id": loan.id, "loan_no": loan.loan_no, "principal": f"{loan.principal:.2f}"},
    )
    db.session.commit()
    return loan


def own_loan(user: User, loan_id: int, lock: bool = False) -> PoolLoan:
    """A loan of `user`'s bank (403 for another bank's, 404 for none), locked when asked."""
    require_bank(user)
    loan = get_or_404(PoolLoan, loan_id, "pool loan", lock=lock)
    if loan.bank_id != user.institution_id:
        raise Forbidden(f"pool loan {loan_id} belongs to another bank")
    return loan


def require_in_pool(record: PoolLoan | PoolClaim, pool_id: int | None, label: str) -> None:
    """NotFound unless `record` is of pool `pool_id` (when the caller's address names one)."""
    # A page's address names the pool as well; a record of another pool is not found there.
    if pool_id is not None and record.pool_id != pool_id:
        raise NotFound(f"{label} {record.id} does not exist")


def repay_loan(user: User, loan_id: int, repaid_on: date, pool_id: int | None = None) -> PoolLoan:
    """The bank reports a registered loan repaid.

    `pool_id`, when the caller's address names one, must be the loan's pool (else 404).
    """
    loan = own_loan(user, loan_id)
    require_in_pool(loan, pool_id, "pool loan")
    close_repaid(loan, repaid_on, user)
    db.session.commit()
    return loan


def close_repaid(loan: PoolLoan, repaid_on: date, actor: User | None) -> None:
    """Mark an active loan repaid on `repaid_on`, with its audit event (not committed).

    Shared by the report of a whole loan repaid and by the repayment that brings the
    outstanding principal to zero (`repayments`), so a loan is closed by one rule.
    """
    if loan.state != L.ACTIVE:
        raise Conflict(f"pool loan {loan.id} is {loan.state}; only an active loan is repaid")
    loan.state, loan.repaid_on = L.REPAID, repaid_on
    audit.record(
        db.session, pool_subject(loan.pool_id), "repay_loan", actor=actor, data={"loan_id": loan.id}
    )


def _committed(session: Session, pool_id: int, states: set, year: int | None, skip: int | None):
    query = select(func.coalesce(func.sum(PoolClaim.payable), 0)).where(
        PoolClaim.pool_id == pool_id, PoolClaim.state.in_(states)
    )
    if year is not None:
        query = query.where(
            PoolClaim.filed_on >= date(year, 1, 1), PoolClaim.filed_on < date(year + 1, 1, 1)
        )
    if skip is not None:
        query = query.where(PoolClaim.id != skip)
    return Decimal(session.scalar(query)).quantize(FEN)


def reserved(session: Session, pool_id: int, skip: int | None = None) -> Decimal:
    """What the pool owes on approved claims not yet paid."""
    return _committed(session, pool_id, {ClaimState.APPROVED}, None, skip)


def work_out_payable(
    session: Session, pool: RiskPool, net_loss: Decimal, filed_on: date, claim_id: int | None
) -> dict:
    """The payable amount of a claim with every limit it was checked against (strings of yuan)."""
    used = _committed(
        session, pool.id, {ClaimState.APPROVED, ClaimState.PAID}, filed_on.year, claim_id
    )
    available = ledger.balance(session, pool_subject(pool.id)) - reserved(
        session, pool.id, claim_id
    )
    limits = {
        "coverage_of_net_loss": to_fen(pool.coverage * net_loss),
        "per_loan_cap": pool.per_loan_cap,
        "yearly_cap_left": max(pool.yearly_cap - used, Decimal("0.00")),
        "pool_balance_available": max(available, Decimal("0.00")),
    }
    binding = min(limits, key=lambda name: limits[name])
    return {
        "coverage": f"{pool.coverage}",
        "net_loss": f"{net_loss:.2f}",
        "yearly_cap": f"{pool.yearly_cap:.2f}",
        "yearly_cap_used": f"{used:.2f}",
        "limits": {name: f"{value:.2f}" for name, value in limits.items()},
        "binding": binding,
        "payable": f"{limits[binding]:.2f}",
    }


def file_claim(user: User, loan_id: int, data: dict, pool_id: int | None = None) -> PoolClaim:
    """The bank files a claim on a defaulted loan once it is overdue long enough; the net loss
    is worked out from the parts it reports (`claim_loss`) and kept with them.

    `pool_id`, when the caller's address names one, must be the loan's pool (else 404).
    """
    loan = own_loan(user, loan_id)
    require_in_pool(loan, pool_id, "pool loan")
    pool = loan.pool
    if loan.state != L.ACTIVE:
        raise Conflict(f"pool loan {loan_id} is {loan.state}; a claim needs an active loan")
    parts = LossParts.of(data)
    errors = refusals(parts, loan, pool)
    if data["days_overdue"] < pool.days_overdue_threshold:
        errors["days_overdue"] = [f"A claim needs {pool.days_overdue_threshold} days overdue."]
    if errors:
        raise Invalid("claim refused", errors)
    filed_on = data["filed_on"]
    loan.state, loan.defaulted_on = L.DEFAULTED, filed_on
    net_loss = parts.net_loss(pool)
    working = work_out_payable(db.session, pool, net_loss, filed_on, None)
    claim = PoolClaim(
        pool=pool,
        loan=loan,
        net_loss=net_loss,
        outstanding_principal=parts.outstanding_principal,
        accrued_interest=parts.accrued_interest,
        collateral_realised=parts.collateral_realised,
        days_overdue=data["days_overdue"],
        filed_on=filed_on,
        payable=Decimal(working["payable"]),
        working=working,
        state=ClaimState.FILED,
    )
    db.session.add(claim)
    db.session.flush()
    audit.record(
        db.session,
        claim_subject(claim.id),
        "file",
        actor=user,
        to_state=ClaimState.FILED,
        data={**working, "loss": parts.as_data(pool)},
    )
    db.session.commit()
    return claim


def visible_claims(user: User):
    """Claims `user` may see: its bank's, its zone's pools', or all for admins."""
    query = select(PoolClaim)
    if is_admin(user):
        return query
    if user.role == Role.BANK:
        return query.join(PoolLoan).where(PoolLoan.bank_id == user.institution_id)
    if user.role == Role.ZONE_ADMIN and user.organisation is not None:
        return query.join(RiskPool).where(RiskPool.zone_id == user.organisation.zone_id)
    return query.where(False)


def pool_claims(user: User, pool_id: int) -> list[PoolClaim]:
    """The claims on one pool that `user` may see, newest first."""
    query = visible_claims(user).where(PoolClaim.pool_id == pool_id)
    return list(db.session.scalars(query.order_by(PoolClaim.id.desc())))


def list_pools() -> list[RiskPool]:
    """Every pool (public programmes)."""
    return list(db.session.scalars(select(RiskPool).order_by(RiskPool.id)))


def get_claim(user: User, claim_id: int, lock: bool = False) -> PoolClaim:
    """A claim `user` may see."""
    claim = db.session.get(PoolClaim, claim_id, with_for_update=lock)
    if claim is None or not (
        is_admin(user)
        or is_sponsor(user, claim.pool)
        or (user.role == Role.BANK and user.institution_id == claim.loan.bank_id)
    ):
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


def claim_timeline(user: User, claim_id: int) -> list[AuditEvent]:
    """The audit trail of a claim `user` may see, oldest first."""
    return audit.timeline(db.session, claim_subject(get_claim(user, claim_id).id))


def _require_overseer(user: User, pool: RiskPool) -> None:
    # The pool's own records name banks' borrowers, loan numbers and principals: the sponsor
    # and admins oversee them all; a bank sees only its own loans (see `visible_loans`).
    if not (is_admin(user) or is_sponsor(user, pool)):
        raise Forbidden(f"only the sponsor of pool {pool.id} and administrators see its records")


def visible_loans(user: User, pool_id: int) -> Select:
    """The pool's loans `user` may see: all for admins and the sponsor, a bank its own."""
    pool = get_or_404(RiskPool, pool_id, "pool")
    query = select(PoolLoan).where(PoolLoan.pool_id == pool.id)
    if user.role == Role.BANK and user.institution_id is not None:
        return query.where(PoolLoan.bank_id == user.institution_id)
    _require_overseer(user, pool)
    return query


def pool_timeline(user: User, pool_id: int) -> list[AuditEvent]:
    """The audit trail of a pool (set-up, deposits, registrations, repayments), for its sponsor
    and admins: registrations name other banks' loans."""
    pool = get_or_404(RiskPool, pool_id, "pool")
    _require_overseer(user, pool)
    return audit.timeline(db.session, pool_subject(pool.id))


def claim_actions(user: User, claim: PoolClaim) -> list[str]:
    """The actions `user` may take on `claim` now."""
    if not is_sponsor(user, claim.pool) or paid_actions.in_progress(claim_subject(claim.id)):
        return []
    return allowed_actions(CLAIM_MOVES, claim.state, Role.ZONE_ADMIN)


def act_on_claim(
    user: User, claim_id: int, action: str, data: dict, pool_id: int | None = None
) -> PoolClaim:
    """The sponsor reviews, approves, rejects or pays a claim.

    `pool_id`, when the caller's address names one, must be the claim's pool (else 404).
    """
    claim = get_claim(user, claim_id, lock=True)
    require_in_pool(claim, pool_id, "claim")
    role = Role.ZONE_ADMIN if is_sponsor(user, claim.pool) else user.role
    move = check_move(CLAIM_MOVES, action, claim.state, role, "claim", data)
    subject = claim_subject(claim.id)
    paid_actions.refuse_while_in_progress(subject, f"claim {claim_id}")
    details = {"reason": data["reason"]} if data.get("reason") else {}
    if action == "approve":
        # Approvals of the pool's claims take turns: each sees what the others reserved.
        db.session.get(RiskPool, claim.pool_id, with_for_update=True)
        claim.working = work_out_payable(
            db.session, claim.pool, claim.net_loss, claim.filed_on, claim.id
        )
        claim.payable = Decimal(claim.working["payable"])
        if claim.payable <= 0:
            raise Conflict(
                f"nothing is payable on claim {claim_id}: {claim.working['binding']} is exhausted"
            )
        details = claim.working
    if move.payment is not None:
        bank = ledger.account("bank", claim.loan.bank_id)
        transfer = PaymentRequest(move.payment, claim.payable, pool_subject(claim.pool_id), bank)
        paid_actions.request(subject, action, transfer, user, state=claim.state)
        return claim
    claim.reason = data.get("reason", claim.reason)
    before, claim.state = claim.state, move.target
    audit.record(
        db.session,
        subject,
        action,
        actor=user,
        from_state=before,
        to_state=claim.state,
        data=details,
    )
    db.session.commit()
    return claim


def returned_share(session: Session, claim_id: int) -> Decimal:
    """What recoveries have returned (or are returning) to the pool for a claim."""
    total = session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.subject == claim_subject(claim_id),
            Payment.purpose == PaymentPurpose.POOL_RECOVERY,
            Payment.state != PaymentState.FAILED,
        )
    )
    return Decimal(total).quantize(FEN)


def awaits_recovery(claim: PoolClaim) -> bool:
    """Whether recoveries may still flow back on `claim`: paid, and not all of it returned."""
    return claim.state == ClaimState.PAID and returned_share(db.session, claim.id) < claim.payable


def report_recovery(
    user: User, claim_id: int, recovered: Decimal, pool_id: int | None = None
) -> Payment:
    """The bank recovered money on a paid claim: the pool's share flows back to it.

    `pool_id`, when the caller's address names one, must be the claim's pool (else 404).
    """
    require_bank(user)
    claim = get_claim(user, claim_id, lock=True)
    require_in_pool(claim, pool_id, "claim")
    if claim.state != ClaimState.PAID:
        raise Conflict(f"claim {claim_id} is {claim.state}; recoveries follow a paid claim")
    left = claim.payable - returned_share(db.session, claim.id)
    share = min(to_fen(recovered * claim.payable / claim.net_loss), left)
    if share <= 0:
        raise Conflict(f"claim {claim_id} has already returned all the pool paid")
    recovered_yuan = f"{recovered:.2f}"
    transfer = PaymentRequest(
        PaymentPurpose.POOL_RECOVERY,
        share,
        ledger.account("bank", claim.loan.bank_id),
        pool_subject(claim.pool_id),
    )
    return paid_actions.request(
        claim_subject(claim.id),
        "recovery",
        transfer,
        user,
        state=claim.state,
        data={"recovered": recovered_yuan},
        amount_key="share",
        payment_details={"recovered": recovered_yuan},
    )


def settle_claim_payment(session: Session, payment: Payment) -> None:
    """A payout or a recovery of a claim succeeded (not committed)."""
    _, claim_id = parse_subject(payment.subject)
    claim = session.get(PoolClaim, claim_id, with_for_update=True)
    if payment.purpose == PaymentPurpose.POOL_PAYOUT:
        paid_actions.settle(session, payment, "pay", claim, CLAIM_MOVES["pay"].target)
    else:
        paid_actions.settle(session, payment, "recovery", claim)


def settle_pool_payment(session: Session, payment: Payment) -> None:
    """A deposit into a pool succeeded (not committed)."""
    paid_actions.settle(session, payment, "deposit")
