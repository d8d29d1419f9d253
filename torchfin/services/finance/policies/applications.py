"""Enterprises' applications under policies: offers, applying, review, decision and payout.

An SME sees the current policies of its zone it may qualify for, each worked out from the
platform's own records (its loans' interest, the fees it was charged, its listings) and applies
under the current version. The zone's own administrators take it on (applied -> reviewing),
approve it, which reserves the amount on the year's budget, or reject it with a reason; paying
an approved application goes through the payment gateway on a worker, from the zone's policy
account ("zone_policy:<zone id>") to the enterprise, and settles it as paid once booked. Each
step is an audit event of the application ("policy_application:<id>").

One (zone, policy code, enterprise, subject, stage) has at most one live application: a stage of
a staged reward is never paid twice, whatever the versions; a rejected application may be filed
again.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, false, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from torchfin.extensions import db
from torchfin.models import (
    AuditEvent,
    Enterprise,
    GuaranteeCase,
    ListingEvent,
    Payment,
    Placement,
    Policy,
    PolicyApplication,
    User,
)
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState, PaymentPurpose, Role
from torchfin.services.errors import Conflict, Forbidden, Invalid, NotFound
from torchfin.services.finance import audit, ledger, paid_actions
from torchfin.services.finance.payments.gateway import PaymentRequest
from torchfin.services.finance.policies import budgets
from torchfin.services.finance.policies.evaluation import PolicyEvaluation, evaluate
from torchfin.services.finance.policies.facts import gather_facts, listing_events, subject_facts
from torchfin.services.finance.policies.formulas import SUBJECT_KINDS
from torchfin.services.finance.subjects import (
    GUARANTEE,
    LISTING,
    PLACEMENT,
    POLICY_APPLICATION,
    parse_subject,
    subject_of,
)
from torchfin.services.permissions import is_admin, owns_enterprise
from torchfin.services.readiness.batches import zone_by_code
from torchfin.services.workflow import Move, allowed_actions, check_move
from torchfin.services.zone_access import administered_zone_id

Z = Role.ZONE_ADMIN
S = ApplicationState
APPLICATION_MOVES = {
    "review": Move(frozenset({S.APPLIED}), S.REVIEWING, Z),
    "approve": Move(frozenset({S.REVIEWING}), S.APPROVED, Z),
    "reject": Move(frozenset({S.APPLIED, S.REVIEWING}), S.REJECTED, Z, ("reason",)),
    "pay": Move(frozenset({S.APPROVED}), S.PAID, Z, payment=PaymentPurpose.POLICY_PAYOUT),
}
# Approved and paid applications count against the caps and the budget.
COUNTED = (S.APPROVED, S.PAID)
POLICY_ACCOUNT = "zone_policy"


def application_subject(application_id: int) -> str:
    """The audit subject (and payment subject) of an application."""
    return subject_of(POLICY_APPLICATION, application_id)


def current_version(session: Session, zone_id: int, code: str) -> Policy | None:
    """The latest version of a zone's policy code."""
    return session.scalar(
        select(Policy)
        .where(Policy.zone_id == zone_id, Policy.code == code)
        .order_by(Policy.version.desc())
        .limit(1)
    )


def current_policies(session: Session, zone_id: int) -> list[Policy]:
    """The latest version of each policy of the zone (legacy ones included), by code."""
    latest = (
        select(Policy.code, func.max(Policy.version).label("version"))
        .where(Policy.zone_id == zone_id)
        .group_by(Policy.code)
        .subquery()
    )
    return list(
        session.scalars(
            select(Policy)
            .join(latest, (Policy.code == latest.c.code) & (Policy.version == latest.c.version))
            .where(Policy.zone_id == zone_id)
            .order_by(Policy.code)
        )
    )


def received(
    session: Session, policy: Policy, enterprise_id: int, year: int, exclude: int | None = None
) -> tuple[Decimal, Decimal]:
    """What the enterprise has approved or paid under the policy code: in `year`, in total."""
    base = select(func.coalesce(func.sum(PolicyApplication.amount), 0)).where(
        PolicyApplication.zone_id == policy.zone_id,
        PolicyApplication.policy_code == policy.code,
        PolicyApplication.enterprise_id == enterprise_id,
        PolicyApplication.state.in_(COUNTED),
    )
    if exclude is not None:
        base = base.where(PolicyApplication.id != exclude)
    this_year = session.scalar(base.where(PolicyApplication.budget_year == year))
    return Decimal(this_year).quantize(ledger.ZERO), Decimal(session.scalar(base)).quantize(
        ledger.ZERO
    )


def evaluate_for(
    session: Session,
    policy: Policy,
    enterprise: Enterprise,
    subject: str,
    stage: str,
    as_of: date,
    exclude: int | None = None,
) -> PolicyEvaluation:
    """Evaluate `policy` for `enterprise`'s `subject` and `stage` on `as_of`."""
    got = received(session, policy, enterprise.id, as_of.year, exclude)
    return evaluate(policy, gather_facts(session, enterprise, subject, as_of, got), stage)


@dataclass(frozen=True)
class Offer:
    """A policy the enterprise may apply under for a subject and stage, as evaluated today."""

    policy: Policy
    subject: str
    stage: str
    evaluation: PolicyEvaluation
    application_id: int | None  # its live application, if it has one


def _candidate_subjects(session: Session, policy: Policy, enterprise: Enterprise) -> list[str]:
    kind = SUBJECT_KINDS.get(policy.formula["type"])
    models = {GUARANTEE: GuaranteeCase, LISTING: ListingEvent, PLACEMENT: Placement}
    if kind is None:
        return []
    model = models[kind]
    ids = session.scalars(
        select(model.id).where(model.enterprise_id == enterprise.id).order_by(model.id)
    )
    subjects = [_followed_subject(session, subject_of(kind, record_id)) for record_id in ids]
    return list(dict.fromkeys(subjects))


def _followed_subject(session: Session, subject: str) -> str:
    """The subject an application of `subject` follows: a listing's events all lead to its first
    event, so each stage has one live application however many events the listing has (filed,
    then listed), and is never paid twice."""
    kind, record_id = parse_subject(subject)
    event = session.get(ListingEvent, record_id) if kind == LISTING else None
    if event is None:
        return subject
    return subject_of(LISTING, listing_events(session, event)[0].id)


def _live_application(
    session: Session, policy: Policy, enterprise_id: int, subject: str, stage: str
) -> PolicyApplication | None:
    return session.scalar(
        select(PolicyApplication).where(
            PolicyApplication.zone_id == policy.zone_id,
            PolicyApplication.policy_code == policy.code,
            PolicyApplication.enterprise_id == enterprise_id,
            PolicyApplication.subject == subject,
            PolicyApplication.stage == stage,
            PolicyApplication.state != S.REJECTED,
        )
    )


def _enterprise_of(user: User) -> Enterprise:
    if user.role != Role.SME or user.enterprise_id is None:
        raise Forbidden("only an enterprise applies for policies")
    return user.organisation.enterprise


def offers(user: User, as_of: date | None = None) -> list[Offer]:
    """The current policies of the SME's zone, evaluated for each of its loans, listings or
    placements (and each stage of a staged reward)."""
    enterprise = _enterprise_of(user)
    day = as_of or utcnow().date()
    found = []
    for policy in current_policies(db.session, enterprise.zone_id):
        if policy.legacy:
            continue
        stages = sorted(policy.formula.get("stages", {})) or [""]
        for subject in _candidate_subjects(db.session, policy, enterprise):
            for stage in stages:
                live = _live_application(db.session, policy, enterprise.id, subject, stage)
                evaluation = evaluate_for(db.session, policy, enterprise, subject, stage, day)
                found.append(Offer(policy, subject, stage, evaluation, live.id if live else None))
    return found


def failed_rules(evaluation: PolicyEvaluation) -> list[str]:
    """The codes of the rules an evaluation failed."""
    return [r.code for r in evaluation.results if r.status.value == "fail"]


def apply(user: User, data: dict) -> PolicyApplication:
    """The SME applies under a policy's current version for a subject (and stage).

    Refused (422) when a rule fails or no amount can be worked out, naming the rule or the
    missing fact; 409 when the subject and stage already have a live application.
    """
    enterprise = _enterprise_of(user)
    policy = db.session.get(Policy, data["policy_id"])
    if policy is None or policy.zone_id != enterprise.zone_id or policy.legacy:
        raise Invalid("unknown policy", {"policy_id": ["No such policy of your zone."]})
    current = current_version(db.session, policy.zone_id, policy.code)
    if current.id != policy.id:
        raise Invalid(
            "superseded policy version",
            {"policy_id": [f"Version {policy.version} was replaced by {current.version}."]},
        )
    subject, stage = data["subject"], data.get("stage", "")
    _check_subject(policy, subject, stage)
    if not subject_facts(db.session, enterprise, subject):
        raise Invalid("unknown subject", {"subject": ["No such record of your enterprise."]})
    subject = _followed_subject(db.session, subject)
    if _live_application(db.session, policy, enterprise.id, subject, stage) is not None:
        raise Conflict(f"{subject} {stage} already has an application under {policy.code}")
    evaluation = evaluate_for(db.session, policy, enterprise, subject, stage, utcnow().date())
    failed = failed_rules(evaluation)
    if failed:
        raise Invalid(
            f"not eligible under {policy.code}: {', '.join(failed)} failed",
            {"subject": [f"Rule failed: {code}." for code in failed]},
        )
    if not evaluation.amount:
        missing = evaluation.working.get("missing")
        why = f"{missing} is not on record" if missing else "the caps leave nothing"
        raise Invalid(
            f"no amount can be worked out: {why}", {"subject": [f"Nothing payable: {why}."]}
        )
    application = PolicyApplication(
        policy=policy,
        zone_id=policy.zone_id,
        policy_code=policy.code,
        enterprise=enterprise,
        applicant_id=user.id,
        subject=subject,
        stage=stage,
        evaluation=evaluation.as_dict(),
        amount=evaluation.amount,
        note=data.get("note", ""),
    )
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent application for the same stage won
        db.session.rollback()
        raise Conflict(f"{subject} {stage} already has an application under {policy.code}") from exc
    audit.record(
        db.session,
        application_subject(application.id),
        "apply",
        actor=user,
        to_state=application.state,
        data={
            "policy": policy.code,
            "version": policy.version,
            "subject": subject,
            "stage": stage,
            "amount": f"{application.amount:.2f}",
            "outcome": evaluation.outcome.value,
        },
    )
    db.session.commit()
    return application


def _check_subject(policy: Policy, subject: str, stage: str) -> None:
    kind = SUBJECT_KINDS.get(policy.formula["type"])
    try:
        subject_kind, _ = parse_subject(subject)
    except ValueError:
        subject_kind = None
    if subject_kind != kind:
        raise Invalid("wrong subject", {"subject": [f"Must name a {kind}: '{kind}:<id>'."]})
    stages = policy.formula.get("stages", {})
    if stages and stage not in stages:
        raise Invalid("unknown stage", {"stage": [f"One of: {', '.join(sorted(stages))}."]})
    if not stages and stage:
        raise Invalid("not staged", {"stage": ["This policy has no stages."]})


def may_see(user: User, application: PolicyApplication) -> bool:
    """The enterprise, its zone's administrators and platform admins."""
    return (
        is_admin(user)
        or owns_enterprise(user, application.enterprise)
        or administered_zone_id(user) == application.zone_id
    )


def get_application(user: User, application_id: int, lock: bool = False) -> PolicyApplication:
    """An application the caller may see (404 otherwise, as if it did not exist)."""
    application = db.session.get(PolicyApplication, application_id, with_for_update=lock)
    if application is None or not may_see(user, application):
        raise NotFound(f"application {application_id} does not exist")
    return application


def actions_for(user: User, application: PolicyApplication) -> list[str]:
    """What the caller may do with the application now (nothing while a payout is under way)."""
    if administered_zone_id(user) != application.zone_id or paid_actions.in_progress(
        application_subject(application.id)
    ):
        return []
    return allowed_actions(APPLICATION_MOVES, application.state, Z)


def visible_applications(user: User, state: ApplicationState | None = None) -> Select:
    """The applications `user` may see, newest first: its enterprise's, its zone's, or all for
    platform admins; of one state when asked."""
    query = select(PolicyApplication).order_by(PolicyApplication.id.desc())
    if state is not None:
        query = query.where(PolicyApplication.state == state)
    if is_admin(user):
        return query
    if user.role == Role.SME and user.enterprise_id is not None:
        return query.where(PolicyApplication.enterprise_id == user.enterprise_id)
    zone_id = administered_zone_id(user)
    if zone_id is not None:
        return query.where(PolicyApplication.zone_id == zone_id)
    return query.where(false())


def application_timeline(user: User, application_id: int) -> list[AuditEvent]:
    """The audit trail of an application, for those who may see it."""
    application = get_application(user, application_id)
    return audit.timeline(db.session, application_subject(application.id))


def zone_policies(zone_code: str) -> list[Policy]:
    """The current version of each declared policy of a zone (public programmes)."""
    zone = zone_by_code(zone_code)
    return [p for p in current_policies(db.session, zone.id) if not p.legacy]


def act(user: User, application_id: int, action: str, data: dict) -> PolicyApplication:
    """The zone's own administrators review, approve, reject or pay an application.

    Approving reserves the amount on the current year's budget (refused with what is left) and
    checks the enterprise's caps again; paying asks a worker to pay it through the gateway.
    """
    application = get_application(user, application_id, lock=True)
    role = Z if administered_zone_id(user) == application.zone_id else user.role
    move = check_move(APPLICATION_MOVES, action, application.state, role, "application", data)
    subject = application_subject(application.id)
    paid_actions.refuse_while_in_progress(subject, f"application {application_id}")
    if move.payment is not None:
        transfer = PaymentRequest(
            move.payment,
            application.amount,
            ledger.account(POLICY_ACCOUNT, application.zone_id),
            ledger.account("enterprise", application.enterprise_id),
        )
        paid_actions.request(subject, action, transfer, user, state=application.state)
        return application
    details: dict = {"reason": data["reason"]} if data.get("reason") else {}
    if action == "approve":
        details |= _reserve(application)
    before, application.state = application.state, move.target
    if action in ("approve", "reject"):
        application.reason = data.get("reason", "")
        application.decided_by_id, application.decided_at = user.id, utcnow()
    audit.record(
        db.session,
        subject,
        action,
        actor=user,
        from_state=before,
        to_state=application.state,
        data=details,
    )
    db.session.commit()
    return application


def _refuse_if_no_longer_eligible(application: PolicyApplication) -> None:
    # What was true on applying may not be on deciding (a qualification lapsed, a case was
    # reversed): the rules are worked again under the application's own version. Whether the
    # policy is still in force is not asked again: an application filed in time is decided.
    evaluation = evaluate_for(
        db.session,
        application.policy,
        application.enterprise,
        application.subject,
        application.stage,
        utcnow().date(),
        exclude=application.id,
    )
    failed = [code for code in failed_rules(evaluation) if code != "in_force"]
    if failed:
        raise Conflict(
            f"application {application.id} no longer meets {', '.join(failed)}",
            {"subject": [f"Rule failed: {code}." for code in failed]},
        )


def _reserve(application: PolicyApplication) -> dict:
    _refuse_if_no_longer_eligible(application)
    year = utcnow().year
    policy = application.policy
    this_year, total = received(
        db.session, policy, application.enterprise_id, year, exclude=application.id
    )
    for cap, got in ((policy.yearly_cap, this_year), (policy.per_enterprise_cap, total)):
        if cap is not None and got + application.amount > cap:
            raise Conflict(
                f"the enterprise's cap of {cap:,.2f} under {policy.code} leaves "
                f"{max(cap - got, ledger.ZERO):,.2f} yuan",
                {"amount": [f"Cap left: {max(cap - got, ledger.ZERO):.2f}."]},
            )
    budget = budgets.reserve(db.session, policy, year, application.amount)
    application.budget_year = year
    left = budgets.budget_left(budget)
    return {
        "amount": f"{application.amount:.2f}",
        "budget_year": year,
        "budget_left": None if left is None else f"{left:.2f}",
    }


def settle_payment(session: Session, payment: Payment) -> None:
    """A payout of an application succeeded (not committed): it is paid, its budget moves."""
    _, application_id = parse_subject(payment.subject)
    application = session.get(PolicyApplication, application_id, with_for_update=True)
    application.payment_id = payment.id
    application.ledger_reference = subject_of("payment", payment.id)
    application.paid_at = utcnow()
    budgets.mark_paid(session, application.policy, application.budget_year, payment.amount)
    paid_actions.settle(session, payment, "pay", application, APPLICATION_MOVES["pay"].target)
