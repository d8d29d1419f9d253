"""Records the deal-flow and alert tests share: a zone, the NEV industry tree, an SME with its
user, an investor, and publishing through the project service (so `published_at` and the outbox
are set exactly as in production)."""

from dataclasses import dataclass
from decimal import Decimal

from tests.factories.accounts import make_user
from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import Enterprise, User
from torchfin.models.enums import Instrument, Role, Stage
from torchfin.services.registry.projects import change_status, create_project


@dataclass
class DealFlow:
    """Ids of the shared records, reloaded on each use (a worker run clears the session), and a
    way to post projects as the SME."""

    enterprise_id: int
    sme_id: int
    investor_id: int

    @property
    def enterprise(self) -> Enterprise:
        return db.session.get(Enterprise, self.enterprise_id)

    @property
    def sme(self) -> User:
        return db.session.get(User, self.sme_id)

    @property
    def investor(self) -> User:
        return db.session.get(User, self.investor_id)

    def publish(self, title: str, amount: str = "30000000.00", **fields) -> int:
        """Create a draft through the service and publish it; return its id."""
        data = {
            "title": title,
            "summary": fields.pop("summary", "动力电池管理系统与梯次利用"),
            "amount_sought": Decimal(amount),
            "instrument": fields.pop("instrument", Instrument.EQUITY),
            "stage": fields.pop("stage", Stage.B),
            **fields,
        }
        project = create_project(self.sme, data)
        return change_status(self.sme, project.id, "publish").id


def make_deal_flow() -> DealFlow:
    """A zone, industries, one SME (with financials) and one investor of a VC."""
    industries = make_industries()
    enterprise = make_enterprise(
        make_zone(), [industries["nev.battery"]], name="北京锂享新能源科技有限公司"
    )
    return DealFlow(
        enterprise_id=enterprise.id,
        sme_id=make_user(Role.SME, enterprise=enterprise).id,
        investor_id=make_user(Role.INVESTOR, institution=make_institution()).id,
    )
