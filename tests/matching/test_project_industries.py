"""Matching reads a project's own industries: a software company's energy-storage project is
matched by an energy mandate on the energy sub-field, and a software mandate that excludes
energy leaves it alone, on the incremental path (outbox, worker, candidates, scorer)."""

from decimal import Decimal

from sqlalchemy import select

from tests.factories.registry import (
    make_institution,
    make_software_and_energy_industries,
    make_software_company,
    make_zone,
    storage_project,
)
from torchfin.extensions import db
from torchfin.models import Mandate, Match
from torchfin.services.outbox import notify_search, record_upsert


def _mandate(name: str, industries: list[str], excluded: list[str] = ()) -> Mandate:
    mandate = Mandate(
        institution=make_institution(),
        name=name,
        industries=industries,
        excluded_industries=list(excluded),
        instruments=["equity"],
        ticket_min=Decimal("5000000"),
        ticket_max=Decimal("50000000"),
    )
    db.session.add(mandate)
    record_upsert(db.session, mandate)
    return mandate


def test_an_energy_mandate_matches_a_software_companys_storage_project(app, es, run_worker):
    industries = make_software_and_energy_industries()
    project = storage_project(make_software_company(make_zone(), industries), industries)
    db.session.add(project)
    record_upsert(db.session, project)
    storage = _mandate("储能产业基金", ["energy.grid"])
    software = _mandate("软件产业基金", ["it"], excluded=["energy"])
    db.session.commit()
    ids = {"project": project.id, "storage": storage.id, "software": software.id}
    notify_search()

    run_worker()  # indexes the three, then scores the project and each mandate

    matches = {m.mandate_id: m for m in db.session.scalars(select(Match))}
    assert set(matches) == {ids["storage"]}
    match = matches[ids["storage"]]
    assert match.project_id == ids["project"]
    industry = match.breakdown["industry"]
    assert (industry["tier"], industry["points"]) == ("subfield", 30.0)
    assert industry["evidence_zh"] == "项目所属细分领域“智能电网”正是该投资方向所列领域。"
