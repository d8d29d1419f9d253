"""Duplicates: the similarity rule at its boundaries, flagging at registration, and merging."""

import pytest
from sqlalchemy import func, select

from tests.factories.accounts import auth, make_user
from tests.factories.registry import credit_code, make_institution, make_zone
from torchfin.extensions import db
from torchfin.models import (
    AccessGrant,
    AccessLogEntry,
    DuplicateFlag,
    Enterprise,
    EnterpriseFinancial,
    Project,
    User,
)
from torchfin.models.enums import FlagStatus, GrantState, Role
from torchfin.services.registry.duplicates import compare_cores, compare_names, normalise_name

BEIJING = ("北京市", "北京市")


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("北京芯算科技有限公司", "芯算"),
        ("芯算科技（北京）有限公司", "芯算"),  # a bracketed place
        ("北京市芯算科技股份有限公司", "芯算"),  # the city with its suffix, a JSC
        ("北京 芯算 技术 有限责任公司", "芯算"),  # blanks, 技术, an LLC's full form
        ("ＡＢＣ科技有限公司", "abc"),  # full-width letters
        ("上海芯算科技有限公司", "上海芯算"),  # only the zone's own places are prefixes
    ],
)
def test_normalised_names(name, core):
    assert normalise_name(name, BEIJING) == core


def test_ratio_boundary_is_inclusive_at_085():
    base = "abcdefghijklmnopqrst"  # 20 characters; three apart substitutions: 34 / 40
    at = compare_cores(base, "abXdefXhijXlmnopqrst")
    below = compare_cores(base, "abXdefXhijXlmnXpqrst")  # four: 32 / 40
    assert (str(at.ratio), at.similar) == ("0.850", True)
    assert (str(below.ratio), below.similar) == ("0.800", False)


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("中科芯算", "中科芯箅", True),  # one edit, cores of four: similar although ratio 0.75
        ("芯算云", "芯算达", True),  # one edit, cores of three: the shortest that counts
        ("华为", "华丰", False),  # one edit but cores of two
        ("中科芯算", "中科云箅", False),  # two edits
        ("芯算", "芯算智能", False),  # ratio 0.667 and two edits
    ],
)
def test_edit_distance_boundary(a, b, similar):
    assert compare_cores(a, b).similar is similar


def test_same_core_under_different_legal_forms_is_similar():
    assert compare_names("北京芯算科技有限公司", "北京市芯算科技股份有限公司", BEIJING).similar
    assert not compare_names("北京科技有限公司", "北京技术有限公司", BEIJING).similar  # no core


def _register(client, user, name: str, zone: str = "zhongguancun"):
    return client.post(
        "/api/v1/enterprises",
        json={
            "credit_code": credit_code(),
            "name": name,
            "legal_form": "llc",
            "founded_on": "2019-04-01",
            "zone": zone,
            "industries": ["nev"],
        },
        headers=auth(user),
    )


def test_near_name_in_same_zone_is_flagged_not_refused(client, world):
    response = _register(client, world.admin, "北京市锂动新能源科技股份有限公司")
    assert response.status_code == 201, response.json
    [flag] = db.session.scalars(select(DuplicateFlag)).all()
    assert (flag.enterprise_id, flag.candidate_id) == (response.json["id"], world.enterprise.id)
    assert flag.status == FlagStatus.OPEN
    listed = client.get("/api/v1/duplicates", headers=auth(world.admin)).json
    assert [(f["id"], f["similarity"]) for f in listed] == [(flag.id, "1.000")]
    assert client.get("/api/v1/duplicates", headers=auth(world.sme)).status_code == 403


def test_same_name_in_another_zone_is_not_flagged(client, world):
    make_zone("wuhan_donghu", "武汉东湖新技术开发区")
    response = _register(client, world.admin, "北京锂动新能源科技有限公司", zone="wuhan_donghu")
    assert response.status_code == 201
    assert db.session.scalar(select(func.count()).select_from(DuplicateFlag)) == 0


def test_same_credit_code_is_still_refused_with_a_link(client, world):
    response = client.post(
        "/api/v1/enterprises",
        json={
            "credit_code": world.enterprise.credit_code,
            "name": "北京锂动新能源科技有限公司",
            "legal_form": "llc",
            "founded_on": "2019-04-01",
            "zone": "zhongguancun",
            "industries": ["nev"],
        },
        headers=auth(world.admin),
    )
    assert response.status_code == 409
    assert f"/api/v1/enterprises/{world.enterprise.id}" in str(response.json)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_merge_moves_everything_to_the_survivor_and_updates_search(
    client, api, world, sign_in, es, run_worker
):
    # The duplicate: its own SME user, a 2022 year the survivor lacks and a 2024 year it has,
    # a published project, and a grant to an institution.
    # The worker run ends the session, so ids are kept rather than the loaded records.
    survivor_id, admin_id, investor = world.enterprise.id, world.admin.id, auth(world.investor)
    # The factory wrote the survivor straight to SQL; a profile change puts it in the index.
    client.patch(
        f"/api/v1/enterprises/{survivor_id}", json={"employees": 130}, headers=auth(world.sme)
    )
    dup_user = make_user(Role.SME)
    dup_user_id = dup_user.id
    duplicate = _register(client, dup_user, "锂动新能源科技（北京）有限公司").json
    financial = {
        "revenue": "1000000.00",
        "net_profit": "10000.00",
        "rd_spend": "100000.00",
        "total_assets": "2000000.00",
        "total_liabilities": "500000.00",
        "employees": 10,
        "college_staff": 5,
    }
    client.patch(
        f"/api/v1/enterprises/{duplicate['id']}",
        json={"financials": [{"year": 2022, **financial}, {"year": 2024, **financial}]},
        headers=auth(dup_user),
    )
    project = client.post(
        "/api/v1/projects",
        json={
            "title": "锂电池回收示范线",
            "summary": "退役动力电池梯次利用",
            "amount_sought": "8000000.00",
            "instrument": "equity",
            "stage": "a",
        },
        headers=auth(dup_user),
    ).json
    client.post(f"/api/v1/projects/{project['id']}/publish", headers=auth(dup_user))
    other_vc = make_user(Role.INVESTOR, institution=make_institution())
    grant = client.post(
        f"/api/v1/enterprises/{duplicate['id']}/access-requests", json={}, headers=auth(other_vc)
    ).json
    client.post(f"/api/v1/access-grants/{grant['id']}/grant", headers=auth(dup_user))
    run_worker()
    found = api.get(
        "/api/v1/search", query_string={"q": "锂动", "kind": "enterprise"}, headers=investor
    ).json
    assert {hit["id"] for hit in found["hits"]} == {survivor_id, duplicate["id"]}

    # The admin merges on the page, keeping the older enterprise.
    flag = db.session.scalar(select(DuplicateFlag))
    sign_in(db.session.get(User, admin_id))
    page = client.get("/admin/duplicates").get_data(as_text=True)
    assert "锂动新能源科技（北京）有限公司" in page
    merged = client.post(f"/admin/duplicates/{flag.id}/merge", data={"survivor_id": survivor_id})
    assert merged.status_code == 302, merged.get_data(as_text=True)

    db.session.expire_all()
    assert db.session.get(Enterprise, duplicate["id"]) is None
    survivor = db.session.get(Enterprise, survivor_id)
    assert [p.id for p in survivor.projects] == [project["id"]]
    # 2022 came across; the survivor's own 2023 and 2024 stay, the duplicate's 2024 is gone.
    assert [(f.year, str(f.revenue)) for f in survivor.financials] == [
        (2022, "1000000.00"),
        (2023, "12345678.90"),
        (2024, "12345678.90"),
    ]
    assert _count(EnterpriseFinancial) == 3
    assert (
        db.session.get(User, dup_user_id).enterprise_id == survivor.id
    )  # the user now acts for the survivor
    moved = db.session.get(AccessGrant, grant["id"])
    assert (moved.enterprise_id, moved.state) == (survivor.id, GrantState.GRANTED)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AccessLogEntry)
            .where(AccessLogEntry.enterprise_id == duplicate["id"])
        )
        == 0
    )
    assert db.session.get(DuplicateFlag, flag.id).status == FlagStatus.MERGED
    assert (
        client.post(
            f"/admin/duplicates/{flag.id}/merge", data={"survivor_id": survivor_id}
        ).status_code
        == 409
    )

    # Search: the deleted duplicate is gone, the survivor carries the merged project.
    run_worker()
    found = api.get(
        "/api/v1/search", query_string={"q": "锂动", "kind": "enterprise"}, headers=investor
    ).json
    assert [hit["id"] for hit in found["hits"]] == [survivor_id]
    projects = api.get("/api/v1/search", query_string={"q": "电池回收"}, headers=investor).json
    assert [(h["id"], h["enterprise_id"]) for h in projects["hits"]] == [
        (project["id"], survivor_id)
    ]


def test_merge_rules(client, world):
    other = _register(client, world.admin, "北京锂动新能源技术有限公司").json
    flag = db.session.scalar(select(DuplicateFlag))
    url = f"/api/v1/duplicates/{flag.id}"
    assert (
        client.post(
            f"{url}/merge", json={"survivor_id": other["id"]}, headers=auth(world.sme)
        ).status_code
        == 403
    )
    outsider = client.post(f"{url}/merge", json={"survivor_id": 999}, headers=auth(world.admin))
    assert outsider.status_code == 422
    assert "survivor_id" in outsider.json["errors"]["json"]
    assert client.post(f"{url}/dismiss", headers=auth(world.admin)).json["status"] == "dismissed"
    assert client.post(f"{url}/dismiss", headers=auth(world.admin)).status_code == 409
    assert _count(Enterprise) == 2
    assert _count(Project) == 0
