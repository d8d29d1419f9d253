"""Deleting what others name: refused with a 409 naming them, or cascaded to the record's own
parts (torchfin/services/dependants.py); foreign keys enforced and ids never reused on both
databases."""

from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from tests.bad_input import count_rows
from tests.factories.accounts import PASSWORD, auth, make_user
from tests.factories.funds import AS_OF, build_world
from tests.factories.matching import make_match_world
from tests.factories.registry import (
    credit_code,
    make_enterprise,
    make_industries,
    make_institution,
    make_zone,
)
from torchfin.extensions import db
from torchfin.models import (
    AccessGrant,
    EnterpriseFinancial,
    GuaranteeCase,
    Industry,
    Match,
    Placement,
    Project,
)
from torchfin.models.enums import InstitutionKind, ProjectStatus, Role
from torchfin.services.matching import deals

API = "/api/v1"


def _refused(client, url: str, headers: dict, message: str) -> None:
    """DELETE `url` is a 409 with `message`, and no table gains or loses a row."""
    before = count_rows()
    response = client.delete(url, headers=headers)
    assert (response.status_code, response.json["message"]) == (409, message)
    assert count_rows() == before


def test_an_enterprise_named_by_money_is_kept_and_its_fund_figures_stand(client):
    world = build_world()
    investee = db.session.get(Placement, world.placement_ids[0]).enterprise  # placed in twice
    bank, agency = (
        make_institution(InstitutionKind.BANK),
        make_institution(InstitutionKind.GUARANTOR),
    )
    db.session.add(
        GuaranteeCase(
            enterprise_id=investee.id,
            bank_id=bank.id,
            agency_id=agency.id,
            principal=Decimal("1000000.00"),
            term_months=12,
            loan_rate=Decimal("0.045"),
            fee_rate=Decimal("0.01"),
            fee=Decimal("10000.00"),
        )
    )
    db.session.commit()
    enterprise_id, manager = investee.id, auth(world.manager)
    figures = f"{API}/funds/sub-funds/{world.early_id}/figures?as_of={AS_OF}"
    shown = client.get(figures, headers=manager).json

    _refused(
        client,
        f"{API}/enterprises/{enterprise_id}",
        auth(make_user(Role.ADMIN)),
        f"enterprise {enterprise_id} is named by 2 placements, 1 guarantee case; "
        "it cannot be deleted while they exist",
    )

    assert client.get(figures, headers=manager).json == shown
    client.post("/login", data={"email": world.manager.email, "password": PASSWORD})
    assert client.get(f"/funds/sub-funds/{world.early_id}?as_of={AS_OF}").status_code == 200


def test_a_deal_keeps_its_project_mandate_enterprise_and_institution(client):
    w = make_match_world()
    deal = deals.express_interest(w["investor_user"], w["match"].id)
    match = db.session.get(Match, deal.match_id)
    project, mandate = match.project, match.mandate
    named = "is named by 1 deal; it cannot be deleted while they exist"
    admin = auth(make_user(Role.ADMIN))
    for url, label in (
        (f"{API}/projects/{project.id}", f"project {project.id}"),
        (f"{API}/mandates/{mandate.id}", f"mandate {mandate.id}"),
        (f"{API}/enterprises/{project.enterprise_id}", f"enterprise {project.enterprise_id}"),
        (f"{API}/institutions/{mandate.institution_id}", f"institution {mandate.institution_id}"),
    ):
        _refused(client, url, admin, f"{label} {named}")


def test_zones_and_industries_in_use_are_kept(client):
    world = build_world()  # zhongguancun has enterprises and a sub-fund
    zone = db.session.get(Placement, world.placement_ids[0]).enterprise.zone
    industries = {i.code: i.id for i in db.session.scalars(select(Industry))}
    admin = auth(make_user(Role.ADMIN))
    _refused(
        client,
        f"{API}/zones/{zone.id}",
        admin,
        f"zone {zone.id} is named by 2 enterprises, 1 sub-fund; "
        "it cannot be deleted while they exist",
    )
    for code, named in (("it", "3 enterprises"), ("nev", "1 sub-industry")):
        _refused(
            client,
            f"{API}/industries/{industries[code]}",
            admin,
            f"industry {industries[code]} is named by {named}; "
            "it cannot be deleted while they exist",
        )


def test_an_enterprise_goes_with_its_own_records(client):
    industries = make_industries()
    enterprise = make_enterprise(make_zone(), [industries["nev.battery"]])
    institution = make_institution()
    db.session.add_all(
        [
            Project(
                enterprise=enterprise,
                title="电池",
                summary="测试",
                amount_sought=Decimal("1000000.00"),
                instrument="equity",
                stage="a",
                status=ProjectStatus.DRAFT,
            ),
            AccessGrant(enterprise=enterprise, institution=institution, purpose="尽职调查"),
        ]
    )
    db.session.commit()
    enterprise_id = enterprise.id

    response = client.delete(
        f"{API}/enterprises/{enterprise_id}", headers=auth(make_user(Role.ADMIN))
    )

    assert response.status_code == 204, response.json
    for model in (Project, EnterpriseFinancial, AccessGrant):
        assert (
            db.session.scalar(
                select(func.count()).select_from(model).where(model.enterprise_id == enterprise_id)
            )
            == 0
        )


def test_a_new_enterprise_never_gets_a_deleted_ones_id(client):
    make_zone()
    make_industries()
    admin = auth(make_user(Role.ADMIN))
    body = {
        "name": "北京锂动新能源科技有限公司",
        "legal_form": "llc",
        "founded_on": "2016-05-20",
        "zone": "zhongguancun",
        "industries": ["nev.battery"],
        "description": "专注动力电池管理系统研发",
    }
    first = client.post(
        f"{API}/enterprises", json={**body, "credit_code": credit_code()}, headers=admin
    )
    assert first.status_code == 201, first.json
    assert client.delete(f"{API}/enterprises/{first.json['id']}", headers=admin).status_code == 204

    second = client.post(
        f"{API}/enterprises", json={**body, "credit_code": credit_code()}, headers=admin
    )

    assert second.status_code == 201, second.json
    assert second.json["id"] > first.json["id"]


def test_the_database_refuses_a_row_naming_a_missing_record():
    zone = make_zone()
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(Project).values(
                enterprise_id=2**31 - 1,
                title="无主项目",
                summary="",
                amount_sought=Decimal(1),
                instrument="equity",
                stage="a",
                use_of_funds="",
                status="draft",
                created_at=zone.created_at,
                updated_at=zone.created_at,
                doc_version=1,
            )
        )
        db.session.flush()
    db.session.rollback()


def test_every_integer_id_is_autoincrement_on_sqlite():
    """The migrations leave no table whose ids SQLite could hand out twice (a batch rebuild that
    forgets `table_kwargs={"sqlite_autoincrement": True}` would)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's sequences never reuse an id")
    tables = db.session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ).all()
    plain = [
        name
        for name, sql in tables
        if " id INTEGER NOT NULL" in sql.replace("\n", " ").replace("\t", " ")
        and "AUTOINCREMENT" not in sql
    ]
    assert len(tables) > 40
    assert plain == []
