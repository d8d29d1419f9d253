"""A project is found under its own industries: a software company's energy-storage project
under 新能源 (energy), not under its enterprise's 新一代信息技术 (software), end to end from the
API through the outbox and a real worker to the search API."""

from tests.factories.accounts import auth, make_user
from tests.factories.registry import (
    STORAGE_TITLE,
    make_software_and_energy_industries,
    make_software_company,
    make_zone,
)
from torchfin.extensions import db
from torchfin.models.enums import Role
from torchfin.services.outbox import record_upsert


def _search(client, headers, **params) -> dict:
    response = client.get("/api/v1/search", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _ids(result: dict) -> list[int]:
    return [hit["id"] for hit in result["hits"]]


def _facet(result: dict, name: str) -> dict[str, int]:
    return {bucket["value"]: bucket["count"] for bucket in result["facets"][name]}


def test_a_software_companys_storage_project_is_found_under_energy(client, es, run_worker):
    industries = make_software_and_energy_industries()
    enterprise = make_software_company(make_zone(), industries)
    record_upsert(db.session, enterprise)  # indexed with the project by the worker below
    sme = auth(make_user(Role.SME, enterprise=enterprise))
    enterprise_id = enterprise.id  # the worker run ends the test's session
    created = client.post(
        "/api/v1/projects",
        json={
            "title": STORAGE_TITLE,
            "summary": "为百兆瓦时级储能电站开发能量管理系统",
            "amount_sought": "30000000.00",
            "instrument": "equity",
            "stage": "a",
            "industries": ["energy.grid"],
        },
        headers=sme,
    )
    assert created.status_code == 201, created.json
    project_id = created.json["id"]
    assert client.post(f"/api/v1/projects/{project_id}/publish", headers=sme).status_code == 200

    run_worker()  # drains the outbox into the index, then refreshes it

    investor = auth(make_user(Role.INVESTOR))
    everything = _search(client, investor, q="储能")
    assert _ids(everything) == [project_id]
    assert _facet(everything, "industry") == {"energy": 1}
    assert _facet(everything, "subindustry") == {"energy.grid": 1}
    assert _ids(_search(client, investor, industry="energy")) == [project_id]
    assert _ids(_search(client, investor, subindustry="energy.grid")) == [project_id]
    assert _search(client, investor, industry="it")["total"] == 0
    assert _search(client, investor, subindustry="it.software")["total"] == 0
    # The enterprise itself stays a software company.
    companies = _search(client, investor, kind="enterprise", industry="it")
    assert _ids(companies) == [enterprise_id]

    # Filed back under software by the SME, it moves there once drained.
    moved = client.patch(
        f"/api/v1/projects/{project_id}", json={"industries": ["it.software"]}, headers=sme
    )
    assert moved.status_code == 200, moved.json
    run_worker()
    assert _ids(_search(client, investor, industry="it")) == [project_id]
    assert _search(client, investor, industry="energy")["total"] == 0
