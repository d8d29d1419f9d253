"""Demo credit-guarantee cases: the demo guarantee agency and bank with SME borrowers, one case
resting in each interesting state, each carried there through `services.guarantees`.

Every case follows the agency's real path (受理, 尽调, 风控, 评审会, 签约, 收费, 放款, 保后, then
解保 or 逾期, 代偿, 追偿) and stops at its own point. Fees, disbursements, compensations and
recoveries are paid by a worker through the sandbox gateway, so each lands in the ledger and the
audit chain like any other. A case's progress is read back from its audit trail.
"""

from dataclasses import dataclass
from functools import partial

from sqlalchemy import select

from schemas.guarantee import GuaranteeActionSchema, GuaranteeApplySchema
from torchfin.demo.actors import demo_user, enterprise_contact, pick_enterprises
from torchfin.demo.script import Step, Track
from torchfin.extensions import db
from torchfin.models import GuaranteeCase, Institution
from torchfin.models.enums import Role
from torchfin.services.finance import audit, guarantees

apply_schema = GuaranteeApplySchema()
action_schema = GuaranteeActionSchema()


@dataclass(frozen=True)
class CaseSpec:
    """One demo case: its loan, and the last action of its story."""

    purpose: str  # with the parties, identifies the case on a later run
    principal: str
    term_months: int
    loan_rate: str
    fee_rate: str
    until: str
    showcase: bool = False  # the SME demo user's own enterprise applies
    overdue: str = ""  # for cases that go wrong: the amount overdue, the amount recovered
    recovered: str = ""


CASES = (
    CaseSpec(
        "流动资金贷款：采购服务器与存储设备", "3000000.00", 12, "0.0435", "0.0150", "release", True
    ),
    CaseSpec("研发中心建设及测试设备购置", "5000000.00", 12, "0.0450", "0.0120", "disburse", True),
    CaseSpec("扩大生产线：新增两条贴片生产线", "2000000.00", 6, "0.0465", "0.0200", "apply"),
    CaseSpec("新产品中试及市场推广", "8000000.00", 24, "0.0475", "0.0180", "start_due_diligence"),
    CaseSpec("知识产权质押配套担保贷款", "4000000.00", 12, "0.0420", "0.0080", "approve"),
    CaseSpec(
        "海外订单备货流动资金",
        "1500000.00",
        12,
        "0.0490",
        "0.0220",
        "compensate",
        overdue="1200000.00",
    ),
    CaseSpec(
        "原材料集中采购",
        "2500000.00",
        12,
        "0.0480",
        "0.0200",
        "record_recovery",
        overdue="1800000.00",
        recovered="600000.00",
    ),
)


def _story(number: int, spec: CaseSpec) -> list[tuple[str, dict]]:
    """The case's actions after applying, up to and including `spec.until`."""
    story = [
        ("accept", {}),
        ("start_due_diligence", {}),
        (
            "submit_risk_review",
            {"due_diligence_report": "实地走访完成：主营稳定，应收账款质量良好"},
        ),
        ("submit_to_committee", {"risk_opinion": "第一还款来源充足，反担保措施可覆盖风险敞口"}),
        ("approve", {"committee_resolution": "评审会同意提供担保，出具担保意向书"}),
        (
            "sign_contract",
            {
                "contract_no": f"ZDB-2026-{number:03d}",
                "counter_guarantees": ["实际控制人连带责任保证", "应收账款质押"],
            },
        ),
        ("collect_fee", {}),
        ("disburse", {"loan_no": f"JK-2026-{number:03d}"}),
        ("start_monitoring", {}),
    ]
    if spec.overdue:
        story += [
            ("report_overdue", {"overdue_amount": spec.overdue, "days_overdue": 95}),
            ("compensate", {}),
            ("start_recovery", {}),
            ("record_recovery", {"amount": spec.recovered}),
        ]
    else:
        story.append(("release", {"repaid_on": "2026-06-30"}))
    names = ["apply"] + [action for action, _ in story]
    return story[: names.index(spec.until)]


class GuaranteeTrack:
    """A demo case's story, resumed from its audit trail."""

    def __init__(
        self, number: int, spec: CaseSpec, enterprise_id: int, bank_id: int, agency_id: int
    ):
        self.name = f"guarantee case {number} (to {spec.until})"
        self.spec, self.story = spec, _story(number, spec)
        self.enterprise_id, self.bank_id, self.agency_id = enterprise_id, bank_id, agency_id

    def case(self) -> GuaranteeCase | None:
        """The case, once applied for."""
        return db.session.scalar(
            select(GuaranteeCase).where(
                GuaranteeCase.enterprise_id == self.enterprise_id,
                GuaranteeCase.bank_id == self.bank_id,
                GuaranteeCase.agency_id == self.agency_id,
                GuaranteeCase.purpose == self.spec.purpose,
            )
        )

    def subjects(self) -> list[str]:
        """The case's audit subject, once it exists."""
        case = self.case()
        return [guarantees.subject(case.id)] if case else []

    def steps(self) -> list[Step]:
        """Applying, then each action of the story."""
        applying = Step("apply", lambda: self.case() is not None, self._apply)
        return [applying] + [
            Step(action, partial(self._taken, position), partial(self._act, action, data))
            for position, (action, data) in enumerate(self.story, start=1)
        ]

    def _taken(self, position: int) -> bool:
        # Completed moves only: requests and declines of payments are not moves.
        events = audit.timeline(db.session, self.subjects()[0])
        taken = [e.action for e in events if e.action == "apply" or e.action in guarantees.MOVES]
        expected = ["apply"] + [action for action, _ in self.story]
        if taken != expected[: len(taken)]:
            raise RuntimeError(f"{self.name} left the demo script: {taken}")
        return len(taken) > position

    def _apply(self) -> None:
        data = apply_schema.load(
            {
                "bank_id": self.bank_id,
                "agency_id": self.agency_id,
                "principal": self.spec.principal,
                "term_months": self.spec.term_months,
                "loan_rate": self.spec.loan_rate,
                "fee_rate": self.spec.fee_rate,
                "purpose": self.spec.purpose,
            }
        )
        guarantees.apply(enterprise_contact(self.enterprise_id), data)

    def _act(self, action: str, data: dict) -> None:
        actor = demo_user(guarantees.MOVES[action].role)
        guarantees.act(actor, self.case().id, action, action_schema.load(data))


def guarantee_tracks() -> list[Track]:
    """One track per demo case, between the demo agency and bank (the demo users')."""
    bank_id = demo_user(Role.BANK).institution_id
    agency_id = demo_user(Role.GUARANTOR).institution_id
    showcase_id = demo_user(Role.SME).enterprise_id
    # Agencies guarantee local firms: the other borrowers come from the agency's province.
    province = db.session.get(Institution, agency_id).province
    borrowers = sum(not spec.showcase for spec in CASES)
    others = iter(pick_enterprises(borrowers, province=province, skip=[showcase_id]))
    return [
        GuaranteeTrack(
            number, spec, showcase_id if spec.showcase else next(others), bank_id, agency_id
        )
        for number, spec in enumerate(CASES, start=1)
    ]
