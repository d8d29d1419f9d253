"""A hand-checked zone for the dashboard: three enterprises in 中关村 and one in 武汉东湖.

E1 (动力电池, so 新能源汽车): published 10m, funded 5m, a draft 1m and a withdrawn 2m (neither
counted); E2 (新一代信息技术): in talks 8m; E3 (both industries): closed 3m; E4 in Wuhan (IT):
published 7m. Readiness batch: one ready, two not ready. Guarantees of E1: disbursed 2m and
overdue 1m, plus an applied 9m (not exposure); a risk-pool loan of E2: active 4m.

Expected for 中关村:
- industry map: 中关村 x 新能源汽车 2, x 新一代信息技术 2; 武汉 x 新一代信息技术 1, x 新能源汽车 0;
- gap: 新能源汽车 demand 18m (10+5+3), matched 5m, funded 5m, gap 13m;
  新一代信息技术 demand 11m (8+3), matched 8m, funded 0, gap 11m;
- funnel: published 4 projects 26m, in talks 2 / 13m, funded 1 / 5m;
- exposure: guarantees outstanding 2 / 3m, overdue 1 / 1m, pool active 1 / 4m, defaulted 0.
"""

from datetime import date
from decimal import Decimal

from tests.factories.registry import make_enterprise, make_industries, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import (
    GuaranteeCase,
    PoolLoan,
    Project,
    ReadinessBatch,
    ReadinessCheck,
    RiskPool,
    Zone,
)
from torchfin.models.enums import (
    BatchStatus,
    GuaranteeState,
    InstitutionKind,
    Instrument,
    PoolLoanState,
    ProjectStatus,
    ReadinessOutcome,
    Stage,
)

M = Decimal(1_000_000)


def _project(enterprise, amount: int, status: ProjectStatus) -> Project:
    return Project(
        enterprise=enterprise,
        title=f"项目{amount}",
        summary="测试",
        amount_sought=amount * M,
        instrument=Instrument.EQUITY,
        stage=Stage.A,
        status=status,
    )


def build_dashboard_world() -> Zone:
    """Build the zone described above; returns 中关村."""
    zgc, wuhan = make_zone(), make_zone("wuhan", "武汉东湖新技术开发区")
    ind = make_industries()
    e1 = make_enterprise(zgc, [ind["nev.battery"]])
    e2 = make_enterprise(zgc, [ind["it"]])
    e3 = make_enterprise(zgc, [ind["nev"], ind["nev.battery"], ind["it"]])
    e4 = make_enterprise(wuhan, [ind["it"]])
    db.session.add_all(
        [
            _project(e1, 10, ProjectStatus.PUBLISHED),
            _project(e1, 5, ProjectStatus.FUNDED),
            _project(e1, 1, ProjectStatus.DRAFT),
            _project(e1, 2, ProjectStatus.WITHDRAWN),
            _project(e2, 8, ProjectStatus.IN_TALKS),
            _project(e3, 3, ProjectStatus.CLOSED),
            _project(e4, 7, ProjectStatus.PUBLISHED),
        ]
    )
    batch = ReadinessBatch(
        zone=zgc, rule_set="neeq-2013", as_of=date(2025, 6, 30), status=BatchStatus.DONE
    )
    db.session.add(batch)
    db.session.flush()
    for enterprise, outcome in (
        (e1, ReadinessOutcome.READY),
        (e2, ReadinessOutcome.NOT_READY),
        (e3, ReadinessOutcome.NOT_READY),
    ):
        db.session.add(
            ReadinessCheck(
                enterprise_id=enterprise.id,
                batch_id=batch.id,
                rule_set="neeq-2013",
                as_of=batch.as_of,
                outcome=outcome,
                results=[],
            )
        )
    bank = make_institution(InstitutionKind.BANK)
    agency = make_institution(InstitutionKind.GUARANTOR)
    for principal, state in (
        (2, GuaranteeState.DISBURSED),
        (1, GuaranteeState.OVERDUE),
        (9, GuaranteeState.APPLIED),
    ):
        db.session.add(
            GuaranteeCase(
                enterprise_id=e1.id,
                bank_id=bank.id,
                agency_id=agency.id,
                principal=principal * M,
                term_months=12,
                loan_rate=Decimal("0.045"),
                fee_rate=Decimal("0.01"),
                fee=principal * M / 100,
                state=state,
            )
        )
    pool = RiskPool(
        name="中关村风险补偿资金池",
        sponsor="中关村管委会",
        zone=zgc,
        coverage=Decimal("0.5"),
        per_loan_cap=5 * M,
        yearly_cap=50 * M,
        days_overdue_threshold=90,
        bad_loan_ratio_threshold=Decimal("0.05"),
    )
    db.session.add(
        PoolLoan(
            pool=pool,
            bank_id=bank.id,
            enterprise_id=e2.id,
            loan_no="L-1",
            principal=4 * M,
            registered_on=date(2025, 1, 1),
            maturity_on=date(2026, 1, 1),
            state=PoolLoanState.ACTIVE,
        )
    )
    db.session.commit()
    return zgc
