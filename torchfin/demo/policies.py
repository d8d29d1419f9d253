"""Demo tech-finance policies: 中关村's three reviewed policies and applications in every state.

The policies come from the reviewed file (torchfin/reference_data/policies/zhongguancun.json):
贷款贴息, 担保费补贴 and the staged 上市奖励. The showcase SME applies for the interest and fee
subsidies on its own guarantee cases once the demo agency has disbursed them (or charged the
fee), and three of the zone's listings apply for stages of the listing reward: one listed after
its filing (filing paid, listing applied for), one whose filing was accepted (filing paid, its
listing stage fails until the listing is recorded), one refused. The
demo zone administrator takes each application to its own state: applied, reviewing, approved,
rejected or paid; payouts are carried out by a worker through the sandbox gateway. Each step
reads the database, so a second run adds nothing.
"""

from dataclasses import dataclass
from functools import partial

from sqlalchemy import select

from schemas.enterprise import EnterpriseSchema, QualificationSchema
from torchfin.demo.actors import demo_user, enterprise_contact
from torchfin.demo.guarantee_cases import CASES
from torchfin.demo.script import Step, Track
from torchfin.extensions import db
from torchfin.models import Enterprise, GuaranteeCase, ListingEvent, Policy, PolicyApplication
from torchfin.models.base import utcnow
from torchfin.models.enums import ApplicationState, Qualification, Role
from torchfin.reference_data.policies import FILES
from torchfin.services.finance.policies import applications, declarations
from torchfin.services.finance.policies.facts import DISBURSED, FEE_CHARGED
from torchfin.services.registry.enterprises import update_enterprise

ZGC_FILE = FILES / "zhongguancun.json"
qualification_schema = QualificationSchema(many=True)
update_schema = EnterpriseSchema(partial=True)
INTEREST, FEE, LISTING = (
    "zgc-loan-interest-subsidy",
    "zgc-guarantee-fee-subsidy",
    "zgc-listing-reward",
)
S = ApplicationState
REJECTION = "上市申请受理通知书与备案材料不一致，请补正后重新申请"
# The zone administrator's actions that take an application to each state.
PATHS = {
    S.APPLIED: (),
    S.REVIEWING: (("review", {}),),
    S.APPROVED: (("review", {}), ("approve", {})),
    S.REJECTED: (("review", {}), ("reject", {"reason": REJECTION})),
    S.PAID: (("review", {}), ("approve", {}), ("pay", {})),
}
RANK = {S.APPLIED: 0, S.REVIEWING: 1, S.APPROVED: 2, S.REJECTED: 2, S.PAID: 3}


@dataclass(frozen=True)
class ApplicationSpec:
    """One demo application: the policy, what it follows, and the state it ends in.

    `case` names a showcase guarantee case by its purpose; `listing` the n-th listing of the
    zone (0 is the first; a listing is an enterprise's events on one venue, named by its first).
    """

    policy: str
    state: ApplicationState
    case: str = ""
    listing: int = -1
    stage: str = ""


SPECS = (
    ApplicationSpec(INTEREST, S.PAID, case=CASES[0].purpose),
    ApplicationSpec(FEE, S.APPROVED, case=CASES[0].purpose),
    ApplicationSpec(FEE, S.REVIEWING, case=CASES[1].purpose),
    ApplicationSpec(LISTING, S.PAID, listing=0, stage="filing"),
    ApplicationSpec(LISTING, S.APPLIED, listing=0, stage="listing"),
    ApplicationSpec(LISTING, S.PAID, listing=1, stage="filing"),
    ApplicationSpec(LISTING, S.REJECTED, listing=2, stage="filing"),
)


class PolicyTrack:
    """中关村's policies declared, the showcase SME qualified, then every demo application."""

    name = "中关村 tech-finance policies"

    def __init__(self) -> None:
        self.zone_admin_email = demo_user(Role.ZONE_ADMIN).email
        self.showcase_id = demo_user(Role.SME).enterprise_id

    def _zone_id(self) -> int:
        return db.session.get(Enterprise, self.showcase_id).zone_id

    def _policy(self, code: str) -> Policy | None:
        return applications.current_version(db.session, self._zone_id(), code)

    def _subject(self, spec: ApplicationSpec) -> tuple[int, str] | None:
        """The enterprise and subject of `spec` once ready to apply for, else None."""
        if spec.case:
            case = db.session.scalar(
                select(GuaranteeCase).where(
                    GuaranteeCase.enterprise_id == self.showcase_id,
                    GuaranteeCase.purpose == spec.case,
                )
            )
            needed = DISBURSED if spec.policy == INTEREST else FEE_CHARGED
            if case is None or case.state not in needed:
                return None
            return case.enterprise_id, f"guarantee:{case.id}"
        listings: dict[tuple, ListingEvent] = {}
        for event in db.session.scalars(
            select(ListingEvent)
            .join(Enterprise, Enterprise.id == ListingEvent.enterprise_id)
            .where(Enterprise.zone_id == self._zone_id())
            .order_by(ListingEvent.id)
        ):
            listings.setdefault((event.enterprise_id, event.venue), event)
        if len(listings) <= spec.listing:
            return None
        event = list(listings.values())[spec.listing]
        return event.enterprise_id, f"listing:{event.id}"

    def _application(self, spec: ApplicationSpec) -> PolicyApplication | None:
        found = self._subject(spec)
        if found is None:
            return None
        return db.session.scalar(
            select(PolicyApplication)
            .where(
                PolicyApplication.policy_code == spec.policy,
                PolicyApplication.zone_id == self._zone_id(),
                PolicyApplication.subject == found[1],
                PolicyApplication.stage == spec.stage,
            )
            .order_by(PolicyApplication.id.desc())
            .limit(1)
        )

    def subjects(self) -> list[str]:
        """The audit subjects of the demo applications made so far."""
        made = [self._application(spec) for spec in SPECS]
        return [applications.application_subject(a.id) for a in made if a is not None]

    def steps(self) -> list[Step]:
        """Declaring, qualifying, then each application's story."""
        steps = [
            Step("declare", lambda: self._policy(INTEREST) is not None, self._declare),
            Step("qualify", self._qualified, self._qualify),
        ]
        for number, spec in enumerate(SPECS, start=1):
            steps += [
                Step(f"{number}: subject ready", partial(self._ready, spec), _not_yet),
                Step(f"{number}: apply", partial(self._made, spec), partial(self._apply, spec)),
            ]
            steps += [
                Step(
                    f"{number}: {action}",
                    partial(self._reached, spec, position),
                    partial(self._act, spec, action, data),
                )
                for position, (action, data) in enumerate(PATHS[spec.state], start=1)
            ]
        return steps

    def _declare(self) -> None:
        declarations.load_file(ZGC_FILE)

    def _qualified(self) -> bool:
        held = db.session.get(Enterprise, self.showcase_id).qualifications
        today = utcnow().date()
        return any(
            q.kind in (Qualification.HIGH_TECH, Qualification.TECH_SME)
            and (q.expires_on is None or q.expires_on >= today)
            for q in held
        )

    def _qualify(self) -> None:
        # The showcase SME records its 科技型中小企业 entry, as it would on its profile page.
        held = db.session.get(Enterprise, self.showcase_id).qualifications
        kept = qualification_schema.dump([q for q in held if q.kind != Qualification.TECH_SME])
        data = update_schema.load({"qualifications": [*kept, {"kind": Qualification.TECH_SME}]})
        update_enterprise(demo_user(Role.SME), self.showcase_id, data)

    def _ready(self, spec: ApplicationSpec) -> bool:
        return self._subject(spec) is not None

    def _made(self, spec: ApplicationSpec) -> bool:
        return self._application(spec) is not None

    def _apply(self, spec: ApplicationSpec) -> None:
        enterprise_id, subject = self._subject(spec)
        applications.apply(
            enterprise_contact(enterprise_id),
            {"policy_id": self._policy(spec.policy).id, "subject": subject, "stage": spec.stage},
        )

    def _reached(self, spec: ApplicationSpec, position: int) -> bool:
        application = self._application(spec)
        if application is None:
            return False
        if application.state == S.REJECTED:
            return spec.state == S.REJECTED
        return RANK[application.state] >= position

    def _act(self, spec: ApplicationSpec, action: str, data: dict) -> None:
        zone_admin = demo_user(Role.ZONE_ADMIN)
        applications.act(zone_admin, self._application(spec).id, action, data)


def _not_yet() -> None:
    """A step that only waits: what it waits for is another track's doing."""


def policy_tracks() -> list[Track]:
    """The one policy track of the demo."""
    return [PolicyTrack()]
