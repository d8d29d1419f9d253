"""Hypothesis drives random sequences of pool and guarantee actions, gateway failures and retries
through the API and two real background workers taking jobs at once, and checks the invariants
after every step: the ledger balances, no pool is overdrawn, nothing is paid twice, every audit
chain verifies, and every refusal is the one the state machine predicts (403 wrong role, 409
wrong state)."""

import os
import time
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from rq import Worker
from sqlalchemy import func, select

from tests.factories.accounts import auth
from tests.factories.finance import loss_parts, make_pool, today
from torchfin.extensions import db
from torchfin.models import GuaranteeCase, Payment, PoolClaim, RiskPool, User, Zone
from torchfin.models.enums import PaymentPurpose, PaymentState, Role
from torchfin.queues import DEFAULT, Job, enqueue, queue
from torchfin.services.finance import audit, guarantees, ledger, paid_actions, pool_opening, pools
from torchfin.services.finance.payments.execution import retry_pending
from torchfin.services.finance.payments.sandbox import SandboxBehaviour, sandbox_gateway

DEAD_ENDS = {"reject", "write_off"}
PICK = st.integers(min_value=0, max_value=1000)
AMOUNTS = st.sampled_from(["100000.00", "250000.50", "1000000.00", "3000000.00"])
FIELDS = {
    "due_diligence_report": "尽调报告",
    "risk_opinion": "风控意见",
    "committee_resolution": "评审会决议",
    "reason": "理由",
    "contract_no": "HT-1",
    "counter_guarantees": ["房产抵押"],
    "loan_no": "JK-1",
    "repaid_on": str(today()),
    "overdue_amount": "500000.00",
    "days_overdue": 100,
}


def settle_jobs(seconds: float = 600) -> None:
    """Wait until the workers have nothing queued or running (`seconds` only stops a hang:
    parallel tests on a loaded machine make the workers slow, not wrong).

    A job a worker has taken sits in the queue's intermediate list until its execution is in the
    started registry: with two workers, an empty queue and registry alone may mean "taken, not
    yet started", so all three must be empty.
    """
    db.session.remove()
    work = queue(DEFAULT)
    deadline = time.monotonic() + seconds
    while (
        work.count
        or work.intermediate_queue.get_job_ids()
        or work.started_job_registry.get_job_ids(cleanup=False)
    ):
        assert time.monotonic() < deadline, "the workers did not finish their jobs"
        time.sleep(0.05)


class FinanceMachine(RuleBasedStateMachine):
    """One pool, one guarantee case, random actions by random parties."""

    client = parties = user_ids = None  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self.pool_id = make_pool(
            db.session.get(Zone, self.parties.zone_id), name=f"pool-{time.monotonic_ns()}"
        ).id
        self.loans: list[int] = []
        self.deposit("5000000.00")
        for principal in ("1000000.00", "3000000.00"):
            self.register_loan(principal)
        self.case_id = self.post(
            self.user("sme"),
            "/api/v1/guarantees",
            {
                "bank_id": self.parties.bank_id,
                "agency_id": self.parties.agency_id,
                "principal": "2000000.00",
                "term_months": 12,
                "loan_rate": "0.0435",
                "fee_rate": "0.0150",
            },
        ).json["id"]

    def user(self, name: str) -> User:
        """A party's user, loaded afresh (workers' runs close the session that loaded it)."""
        return db.session.get(User, self.user_ids[name])

    def post(self, user, url: str, body: dict | None = None):
        response = self.client.post(url, json=body or {}, headers=auth(user))
        assert response.status_code < 500, response.json
        return response

    @rule(behaviour=st.sampled_from(["normal", "normal", "decline", "timeout"]))
    def gateway_mood(self, behaviour: str) -> None:
        sandbox_gateway().configure(
            SandboxBehaviour(
                decline=frozenset({"*"}) if behaviour == "decline" else frozenset(),
                timeout=frozenset({"*"}) if behaviour == "timeout" else frozenset(),
            )
        )

    @rule(amount=AMOUNTS)
    def deposit(self, amount: str) -> None:
        response = self.post(
            self.user("sponsor"), f"/api/v1/pools/{self.pool_id}/deposits", {"amount": amount}
        )
        assert response.status_code in (202, 409)
        settle_jobs()

    @rule(principal=AMOUNTS)
    def register_loan(self, principal: str) -> None:
        body = {
            "enterprise_id": self.parties.enterprise_id,
            "loan_no": f"L{len(self.loans)}",
            "principal": principal,
            "maturity_on": str(today() + timedelta(days=365)),
        }
        ratio = pools.bad_loan_ratio(db.session, self.pool_id, today())
        refused = ratio > db.session.get(RiskPool, self.pool_id).bad_loan_ratio_threshold
        response = self.post(self.user("banker"), f"/api/v1/pools/{self.pool_id}/loans", body)
        assert response.status_code == (409 if refused else 201)
        if response.status_code == 201:
            self.loans.append(response.json["id"])

    @rule(days_back=st.integers(min_value=0, max_value=400), amount=AMOUNTS)
    def record_opening_balance(self, days_back: int, amount: str) -> None:
        """Once per pool, dated on or before its first booking; the same figures again are
        answered alike and book nothing, other figures are refused."""
        dated_on = today() - timedelta(days=days_back)
        existing = pool_opening.opening_balance(db.session, self.pool_id)
        first = pool_opening.first_booking_on(db.session, self.pool_id)
        response = self.post(
            self.user("sponsor"),
            f"/api/v1/pools/{self.pool_id}/opening-balance",
            {"dated_on": str(dated_on), "amount": amount},
        )
        if existing is not None:
            same = (existing.dated_on, existing.amount) == (dated_on, Decimal(amount))
            assert response.status_code == (201 if same else 422)
        else:
            assert response.status_code == (422 if first and dated_on > first else 201)

    @rule(pick=PICK)
    def file_claim(self, pick: int) -> None:
        if not self.loans:
            return
        loan_id = self.loans[pick % len(self.loans)]
        response = self.post(
            self.user("banker"),
            f"/api/v1/pool-loans/{loan_id}/claims",
            {**loss_parts("100000.00"), "days_overdue": 95},
        )
        assert response.status_code in (201, 409)

    @rule(data=st.data(), action=st.sampled_from(list(pools.CLAIM_MOVES)))
    def claim_action(self, data, action: str) -> None:
        claims = db.session.scalars(
            select(PoolClaim).where(PoolClaim.pool_id == self.pool_id)
        ).all()
        if not claims:
            return
        claim = data.draw(st.sampled_from(claims))
        user = data.draw(st.sampled_from([self.user("sponsor"), self.user("banker")]))
        state, busy = claim.state, paid_actions.in_progress(pools.claim_subject(claim.id))
        response = self.post(user, f"/api/v1/claims/{claim.id}/{action}", {"reason": "不符合条件"})
        if user.role != Role.ZONE_ADMIN:  # the claim's own bank may see it, but not act
            assert response.status_code == 403
        elif state not in pools.CLAIM_MOVES[action].sources or busy:
            assert response.status_code == 409
        else:
            # approving may find nothing payable (409); everything else goes through
            assert response.status_code in ((200, 409) if action == "approve" else (200,))
        settle_jobs()

    @rule(pick=PICK)
    def recovery(self, pick: int) -> None:
        paid = db.session.scalars(
            select(PoolClaim.id)
            .where(PoolClaim.pool_id == self.pool_id, PoolClaim.state == "paid")
            .order_by(PoolClaim.id)
        ).all()
        if paid:
            claim_id = paid[pick % len(paid)]
            response = self.post(
                self.user("banker"),
                f"/api/v1/claims/{claim_id}/recoveries",
                {"recovered": "30000.00"},
            )
            assert response.status_code in (202, 409)
            settle_jobs()

    @rule(picks=st.lists(PICK, min_size=1, max_size=5))
    def advance_case(self, picks: list[int]) -> None:
        """Take moves the case allows now, so runs reach its later states."""
        for pick in picks:
            case = db.session.get(GuaranteeCase, self.case_id)
            choices = [
                (who, action)
                for who, user in (("b", self.user("banker")), ("g", self.user("guarantor")))
                for action in guarantees.allowed_for(user, case)
                if action not in DEAD_ENDS  # the random rule still tries them
            ]
            if choices:
                self.guarantee_action(*reversed(choices[pick % len(choices)]))

    @rule(picks=st.lists(PICK, min_size=1, max_size=4))
    def advance_claims(self, picks: list[int]) -> None:
        """Take moves the pool's claims allow now (the sponsor's), so claims get paid."""
        for pick in picks:
            claims = db.session.scalars(
                select(PoolClaim).where(PoolClaim.pool_id == self.pool_id).order_by(PoolClaim.id)
            ).all()
            sponsor = self.user("sponsor")
            choices = [
                (c.id, a) for c in claims for a in pools.claim_actions(sponsor, c) if a != "reject"
            ]
            if choices:
                claim_id, action = choices[pick % len(choices)]
                response = self.post(
                    sponsor, f"/api/v1/claims/{claim_id}/{action}", {"reason": "不符"}
                )
                assert response.status_code in ((200, 409) if action == "approve" else (200,))
                settle_jobs()

    @rule(action=st.sampled_from(list(guarantees.MOVES)), who=st.sampled_from("sbg"))
    def guarantee_action(self, action: str, who: str) -> None:
        user = {"s": self.user("sme"), "b": self.user("banker"), "g": self.user("guarantor")}[who]
        case = db.session.get(GuaranteeCase, self.case_id)
        state = case.state
        busy = paid_actions.in_progress(guarantees.subject(case.id))
        move = guarantees.MOVES[action]
        body = {name: FIELDS[name] for name in move.required if name in FIELDS}
        if action == "record_recovery":
            body["amount"] = "1000.00"
        response = self.post(user, f"/api/v1/guarantees/{self.case_id}/{action}", body)
        if user.role != move.role:
            assert response.status_code == 403
        elif state not in move.sources or busy:
            assert response.status_code == 409
        else:
            assert response.status_code in (200, 409, 422)  # close/recovery rules on amounts
        settle_jobs()

    @rule()
    def retry_pending_payments(self) -> None:
        """The periodic sweep and an operator's retry overlapping: every pending payment gets
        two jobs, which the two workers run at the same time; it is still paid once."""
        sandbox_gateway().configure(SandboxBehaviour())
        retry_pending()
        retry_pending()
        settle_jobs()

    @rule()
    def replay_finished_jobs(self) -> None:
        """A retried job whose payment is settled must change nothing."""
        done = db.session.scalars(
            select(Payment.id).where(Payment.state != PaymentState.PENDING)
        ).all()
        db.session.remove()
        for payment_id in done:
            enqueue(Job.EXECUTE_PAYMENT, payment_id)
        settle_jobs()

    @invariant()
    def ledger_balances_and_nothing_is_paid_twice(self) -> None:
        db.session.remove()
        assert ledger.check(db.engine)[1] == []
        assert ledger.balance(db.session, pools.pool_subject(self.pool_id)) >= 0
        payouts = db.session.execute(
            select(Payment.subject, func.count())
            .where(
                Payment.purpose == PaymentPurpose.POOL_PAYOUT,
                Payment.state == PaymentState.SUCCEEDED,
            )
            .group_by(Payment.subject)
        ).all()
        assert all(count == 1 for _, count in payouts)
        # Each payment the platform booked was paid once under its key; nothing the gateway
        # paid belongs to a payment the platform recorded as failed (a retry may still be
        # booking one that the gateway has paid, so that one is pending).
        gateway = sandbox_gateway()
        keys = dict(db.session.execute(select(Payment.idempotency_key, Payment.state)).all())
        for key in gateway.processed_keys():
            record = gateway.record(key)
            if record["status"] == "succeeded":
                assert keys[key] in (PaymentState.SUCCEEDED, PaymentState.PENDING)
            else:
                assert keys[key] in (PaymentState.FAILED, PaymentState.PENDING)
        for key, state in keys.items():
            if state == PaymentState.SUCCEEDED:
                assert gateway.record(key)["status"] == "succeeded"

    @invariant()
    def audit_chains_verify(self) -> None:
        assert audit.verify(db.engine)[1] == []


WORKERS = 2


def test_random_workflows_keep_the_invariants(client, parties, background_workers, sandbox):
    workers = background_workers(WORKERS)
    FinanceMachine.client, FinanceMachine.parties = client, parties
    # Read once, before any worker's run closes the session that loaded the users.
    FinanceMachine.user_ids = {
        name: getattr(parties, name).id for name in ("sme", "banker", "guarantor", "sponsor")
    }
    machine = settings(
        # Each step goes through real workers: a few runs by default, more with FINANCE_EXAMPLES.
        max_examples=int(os.environ.get("FINANCE_EXAMPLES", "5")),
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )(FinanceMachine)
    machine.TestCase().runTest()
    # Both workers lived through the run and both took jobs: the invariants held with two
    # processes working the queue at once, not one doing everything while the other idled.
    assert [worker.poll() for worker in workers] == [None] * WORKERS
    ran = {
        w.pid: w.successful_job_count + w.failed_job_count for w in Worker.all(queue=queue(DEFAULT))
    }
    assert all(ran.get(worker.pid, 0) > 0 for worker in workers), ran
