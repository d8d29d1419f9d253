"""我的项目: draft -> preview -> publish -> edit -> withdraw through the pages, with the search
seeing each step after a real worker drains the outbox."""

from datetime import date, timedelta

from flask import current_app

from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, published_project
from torchfin.extensions import db
from torchfin.models import Project
from torchfin.models.enums import ProjectStatus, Role
from torchfin.services.registry import projects


def _form(**overrides) -> dict:
    data = {
        "title": "固态电池中试线建设",
        "summary": "建设年产十万套固态电池模组的中试线",
        "amount_sought": "30000000.00",
        "instrument": "equity",
        "stage": "b",
        "use_of_funds": "设备采购与工艺验证",
        "valuation": "",
        "deadline": (date.today() + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def _search(api, es, investor, q: str) -> list[int]:
    es.indices.refresh(index=f"{current_app.config['SEARCH_INDEX_PREFIX']}-*")
    response = api.get("/api/v1/search", query_string={"q": q}, headers=investor)
    assert response.status_code == 200, response.json
    return [hit["id"] for hit in response.json["hits"]]


def test_project_life_cycle_through_the_pages(client, api, world, sign_in, es, run_worker):
    investor = auth(world.investor)
    sign_in(world.sme)

    # Create: saved as a draft, shown in the preview with publish and withdraw offered.
    created = client.post("/my/projects/new", data=_form())
    assert created.status_code == 302, created.get_data(as_text=True)
    project = db.session.query(Project).one()
    assert project.status == ProjectStatus.DRAFT
    assert project.valuation is None
    preview = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "data-preview" in preview
    assert "固态电池中试线建设" in preview
    assert 'data-action="publish"' in preview
    assert 'data-action="withdraw"' in preview
    run_worker()
    assert _search(api, es, investor, "固态电池") == []  # drafts are never searchable

    # Publish: the list now offers withdraw only, and investors find it.
    assert client.post(f"/my/projects/{project.id}/publish").status_code == 302
    listing = client.get("/my/projects").get_data(as_text=True)
    assert f"/my/projects/{project.id}/withdraw" in listing
    assert f"/my/projects/{project.id}/publish" not in listing
    run_worker()
    assert _search(api, es, investor, "固态电池") == [project.id]
    assert client.post(f"/my/projects/{project.id}/publish").status_code == 409

    # Edit the published project: the new title is searchable, the old one is gone.
    edited = client.post(
        f"/my/projects/{project.id}/edit",
        data=_form(
            title="钠离子电池中试线建设", summary="建设钠离子电池模组中试线", valuation="300000000"
        ),
    )
    assert edited.status_code == 302
    run_worker()
    assert _search(api, es, investor, "钠离子") == [project.id]
    assert _search(api, es, investor, "固态电池") == []

    # Withdraw: out of the search, and no more actions offered.
    assert client.post(f"/my/projects/{project.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == ProjectStatus.WITHDRAWN
    listing = client.get("/my/projects").get_data(as_text=True)
    assert f"/my/projects/{project.id}/withdraw" not in listing
    assert f"/my/projects/{project.id}/edit" not in listing
    run_worker()
    assert _search(api, es, investor, "钠离子") == []


def test_invalid_project_form_is_422_and_creates_nothing(client, world, sign_in):
    sign_in(world.sme)
    response = client.post(
        "/my/projects/new",
        data=_form(title="", amount_sought="12.345"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "金额最多保留两位小数（到分）。" in page
    assert "此项必填。" in page  # the blank title
    assert db.session.query(Project).count() == 0
    # Cross-field rules are checked once the fields themselves are valid.
    response = client.post("/my/projects/new", data=_form(deadline="2001-01-01", valuation="1"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "不能早于今天。" in page
    assert "不能低于融资金额。" in page
    assert db.session.query(Project).count() == 0


def test_sme_cannot_open_another_enterprises_project(client, world, sign_in):
    sign_in(world.sme)
    created = client.post("/my/projects/new", data=_form())
    project_id = int(created.headers["Location"].split("/")[-2])
    stranger = make_user(Role.SME, enterprise=make_enterprise(world.enterprise.zone, []))
    sign_in(stranger)
    assert client.get(f"/my/projects/{project_id}/preview").status_code == 404
    assert client.post(f"/my/projects/{project_id}/publish").status_code == 404


def test_moves_and_edits_are_offered_to_the_enterprise_and_admins_only(world):
    project = published_project(world.enterprise, "固态电池", "30000000", "b")
    db.session.add(project)
    db.session.commit()
    for user in (world.sme, world.admin):
        assert projects.allowed_moves(user, project) == ["withdraw"]
        assert projects.may_edit(user, project)
    assert projects.allowed_moves(world.investor, project) == []
    assert not projects.may_edit(world.investor, project)
    projects.change_status(world.sme, project.id, "withdraw")
    assert projects.allowed_moves(world.sme, project) == []
    assert not projects.may_edit(world.sme, project)
