"""Credit-guarantee cases (信贷担保): applying, the case state machine, fees and payments.

The guarantee fee is charged once, in full, before the loan is disbursed (the practice of Chinese
guarantee agencies): fee = principal × annual fee rate × term in months / 12, in Decimal, rounded
half up to the fen (0.01 yuan). A case is closed (结案) only when the compensation paid to the
bank has been fully recovered from the enterprise; otherwise it is written off (核销).
"""

from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import AuditEvent, Enterprise, GuaranteeCase, Institution, Payment, User
from torchfin.models.enums import (
    GuaranteeState,
    InstitutionKind,
    PaymentPurpose,
    PaymentState,
    Role,
)
from torchfin.services.errors import Conflict, Forbidden, Invalid, NotFound
from torchfin.services.finance import audit, paid_actions
from torchfin.services.finance.ledger import FEN, account, to_fen
from torchfin.services.finance.payments.gateway import PaymentRequest
from torchfin.services.finance.subjects import GUARANTEE, parse_subject, subject_of
from torchfin.services.permissions import is_admin
from torchfin.services.workflow import Move, allowed_actions, check_move

# Short names so the move table below reads like the state diagram.
S = GuaranteeState
REVIEWING = frozenset({S.APPLIED, S.ACCEPTED, S.DUE_DILIGENCE, S.RISK_REVIEW, S.COMMITTEE_REVIEW})
G, B = Role.GUARANTOR, Role.BANK

MOVES = {
    "accept": Move(frozenset({S.APPLIED}), S.ACCEPTED, G),
    "start_due_diligence": Move(frozenset({S.ACCEPTED}), S.DUE_DILIGENCE, G),
    "submit_risk_review": Move(
        frozenset({S.DUE_DILIGENCE}), S.RISK_REVIEW, G, ("due_diligence_report",)
    ),
    "submit_to_committee": Move(
        frozenset({S.RISK_REVIEW}), S.COMMITTEE_REVIEW, G, ("risk_opinion",)
    ),
    "approve": Move(frozenset({S.COMMITTEE_REVIEW}), S.APPROVED, G, ("committee_resolution",)),
    "reject": Move(REVIEWING, S.REJECTED, G, ("reason",)),
    "sign_contract": Move(
        frozenset({S.APPROVED}), S.CONTRACT_SIGNED, G, ("contract_no", "counter_guarantees")
    ),
    "collect_fee": Move(
        frozenset({S.CONTRACT_SIGNED}), S.FEE_COLLECTED, G, payment=PaymentPurpose.GUARANTEE_FEE
    ),
    "disburse": Move(
        frozenset({S.FEE_COLLECTED}), S.DISBURSED, B, ("loan_no",), PaymentPurpose.DISBURSEMENT
    ),
    "start_monitoring": Move(frozenset({S.DISBURSED}), S.MONITORING, G),
    "release": Move(frozenset({S.MONITORING}), S.RELEASED, B, ("repaid_on",)),
    "report_overdue": Move(
        frozenset({S.MONITORING}), S.OVERDUE, B, ("overdue_amount", "days_overdue")
    ),
    "compensate": Move(
        frozenset({S.OVERDUE}), S.COMPENSATED, G, payment=PaymentPurpose.COMPENSATION
    ),
    "start_recovery": Move(frozenset({S.COMPENSATED}), S.RECOVERING, G),
    "record_recovery": Move(
        frozenset({S.RECOVERING}), S.RECOVERING, G, ("amount",), PaymentPurpose.GUARANTEE_RECOVERY
    ),
    "write_off": Move(frozenset({S.RECOVERING}), S.WRITTEN_OFF, G, ("reason",)),
    "close": Move(frozenset({S.RECOVERING}), S.CLOSED, G),
}
# Fields an action stores on the case; everything else it carries is kept in its audit event.
CASE_FIELDS = ("contract_no", "counter_guarantees", "loan_no", "overdue_amount", "days_overdue")


def compute_fee(principal: Decimal, fee_rate: Decimal, term_months: int) -> Decimal:
    """The guarantee fee: principal × annual rate × months / 12, rounded half up to the fen."""
    return to_fen(principal * fee_rate * term_months / 12)


def subject(case_id: int) -> str:
    """The audit subject of a case."""
    return subject_of(GUARANTEE, case_id)


def party_role(user: User, case: GuaranteeCase) -> Role | None:
    """The part `user` plays in `case`: its agency, its bank, its enterprise, or none."""
    if user.role == Role.GUARANTOR and user.institution_id == case.agency_id:
        return Role.GUARANTOR
    if user.role == Role.BANK and user.institution_id == case.bank_id:
        return Role.BANK
    if user.role == Role.SME and user.enterprise_id == case.enterprise_id:
        return Role.SME
    return None


def visible_cases(user: User) -> Select:
    """Cases `user` may see: those it is a party to; admins see all."""
    query = select(GuaranteeCase)
    if is_admin(user):
        return query
    if user.role == Role.SME:
        return query.where(GuaranteeCase.enterprise_id == user.enterprise_id)
    if user.role == Role.BANK:
        return query.where(GuaranteeCase.bank_id == user.institution_id)
    if user.role == Role.GUARANTOR:
        return query.where(GuaranteeCase.agency_id == user.institution_id)
    return query.where(False)


def list_cases(user: User, state: S | None = None, limit: int = 200) -> list[GuaranteeCase]:
    """The newest cases `user` may see, optionally in one state."""
    query = visible_cases(user)
    if state is not None:
        query = query.where(GuaranteeCase.state == state)
    return list(db.session.scalars(query.order_by(GuaranteeCase.id.desc()).limit(limit)))


def get_case(user: User, case_id: int, lock: bool = False) -> GuaranteeCase:
    """A case `user` may see; others' cases are reported as missing."""
    case = db.session.get(GuaranteeCase, case_id, with_for_update=lock)
    if case is None or not (is_admin(user) or party_role(user, case)):
        raise NotFound(f"guarantee case {case_id} does not exist")
    return case


def allowed_for(user: User, case: GuaranteeCase) -> list[str]:
    """The actions `user` may take on `case` now (none while a payment is in progress)."""
    role = party_role(user, case)
    if role is None or paid_actions.in_progress(subject(case.id)):
        return []
    return allowed_actions(MOVES, case.state, role)


def timeline(user: User, case_id: int) -> list[AuditEvent]:
    """The audit trail of a case `user` may see, oldest first."""
    return audit.timeline(db.session, subject(get_case(user, case_id).id))


def payments(user: User, case_id: int) -> list[Payment]:
    """The payments of a case `user` may see, oldest first."""
    case_subject = subject(get_case(user, case_id).id)
    return list(
        db.session.scalars(
            select(Payment).where(Payment.subject == case_subject).order_by(Payment.id)
        )
    )


def _institution(institution_id: int, kind: InstitutionKind, field: str) -> Institution:
    institution = db.session.get(Institution, institution_id)
    if institution is None or institution.kind != kind:
        raise Invalid(f"no {kind} {institution_id}", {field: [f"No {kind} with this id."]})
    return institution


def may_apply(user: User) -> bool:
    """True for the users of a registered enterprise: they apply for guarantees."""
    return user.role == Role.SME and user.enterprise_id is not None


def require_applicant(user: User) -> None:
    """Refuse anyone but an enterprise's user (403)."""
    if not may_apply(user):
        raise Forbidden("only an enterprise applies for a guarantee")


def counterparties() -> tuple[list[Institution], list[Institution]]:
    """The banks and the guarantee agencies an enterprise may apply to, by name."""
    kinds = (InstitutionKind.BANK, InstitutionKind.GUARANTOR)
    found = db.session.scalars(
        select(Institution).where(Institution.kind.in_(kinds)).order_by(Institution.name)
    )
    banks, agencies = [], []
    for institution in found:
        (banks if institution.kind == InstitutionKind.BANK else agencies).append(institution)
    return banks, agencies


def apply(user: User, data: dict) -> GuaranteeCase:
    """An enterprise applies for a guarantee of a bank loan (申请)."""
    require_applicant(user)
    enterprise = db.session.get(Enterprise, user.enterprise_id)
    case = GuaranteeCase(
        enterprise=enterprise,
        bank=_institution(data["bank_id"], InstitutionKind.BANK, "bank_id"),
        agency=_institution(data["agency_id"], InstitutionKind.GUARANTOR, "agency_id"),
        principal=data["principal"],
        term_months=data["term_months"],
        loan_rate=data["loan_rate"],
        fee_rate=data["fee_rate"],
        fee=compute_fee(data["principal"], data["fee_rate"], data["term_months"]),
        purpose=data.get("purpose", ""),
        state=S.APPLIED,
        counter_guarantees=[],
    )
    db.session.add(case)
    db.session.flush()
    audit.record(
        db.session,
        subject(case.id),
        "apply",
        actor=user,
        to_state=S.APPLIED,
        data={"fee": f"{case.fee:.2f}"},
    )
    db.session.commit()
    return case


def _paid(case_id: int, purpose: PaymentPurpose) -> Decimal:
    total = db.session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.subject == subject(case_id),
            Payment.purpose == purpose,
            Payment.state == PaymentState.SUCCEEDED,
        )
    )
    return Decimal(total).quantize(FEN)


def _check_rules(case: GuaranteeCase, action: str, data: dict) -> None:
    """Rules across fields and records that the schema cannot see."""
    if action == "report_overdue" and data["overdue_amount"] > case.principal:
        raise Invalid("too much", {"overdue_amount": ["Cannot exceed the principal."]})
    outstanding = _paid(case.id, PaymentPurpose.COMPENSATION) - _paid(
        case.id, PaymentPurpose.GUARANTEE_RECOVERY
    )
    if action == "record_recovery" and data["amount"] > outstanding:
        raise Invalid("too much", {"amount": [f"Only {outstanding} is left to recover."]})
    if action == "close" and outstanding > 0:
        raise Conflict(f"{outstanding} of the compensation is unrecovered; write it off instead")


def _transfer(case: GuaranteeCase, purpose: PaymentPurpose, data: dict) -> PaymentRequest:
    enterprise = account("enterprise", case.enterprise_id)
    bank, agency = account("bank", case.bank_id), account("agency", case.agency_id)
    amount, payer, payee = {
        PaymentPurpose.GUARANTEE_FEE: (case.fee, enterprise, agency),
        PaymentPurpose.DISBURSEMENT: (case.principal, bank, enterprise),
        PaymentPurpose.COMPENSATION: (case.overdue_amount, agency, bank),
        PaymentPurpose.GUARANTEE_RECOVERY: (data.get("amount"), enterprise, agency),
    }[purpose]
    return PaymentRequest(purpose, amount, payer, payee)


def _audit_data(data: dict) -> dict:
    return {k: v if isinstance(v, str | int | list) else str(v) for k, v in data.items()}


def act(user: User, case_id: int, action: str, data: dict) -> GuaranteeCase:
    """Take `action` on a case: 403 for the wrong party, 409 from the wrong state, 422 input.

    Actions that move money leave the state as it is and ask a worker to pay; the case moves on
    when the payment succeeds.
    """
    case = get_case(user, case_id, lock=True)
    role = party_role(user, case)
    if role is None:
        raise Forbidden(f"you are not a party to guarantee case {case_id}")
    move = check_move(MOVES, action, case.state, role, "guarantee case", data)
    paid_actions.refuse_while_in_progress(subject(case.id), f"guarantee case {case_id}")
    _check_rules(case, action, data)
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    if move.payment is None:
        before, case.state = case.state, move.target
        audit.record(
            db.session,
            subject(case.id),
            action,
            actor=user,
            from_state=before,
            to_state=case.state,
            data=_audit_data(data),
        )
        db.session.commit()
        return case
    paid_actions.request(
        subject(case.id),
        action,
        _transfer(case, move.payment, data),
        user,
        state=case.state,
        data=_audit_data(data),
        payment_details={"action": action},
    )
    return case


def settle_payment(session: Session, payment: Payment) -> None:
    """A worker's payment for a case succeeded: move the case on and record it (not committed)."""
    _, case_id = parse_subject(payment.subject)
    case = session.get(GuaranteeCase, case_id, with_for_update=True)
    action = payment.details["action"]
    paid_actions.settle(session, payment, action, case, MOVES[action].target)
