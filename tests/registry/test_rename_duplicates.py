"""Renaming an enterprise re-checks the zone's names for near-duplicates, as registering does."""

from sqlalchemy import select

from tests.factories.accounts import auth
from tests.factories.registry import make_enterprise, make_zone
from tests.registry.test_profile import _profile_form
from torchfin.extensions import db
from torchfin.models import DuplicateFlag
from torchfin.models.enums import FlagStatus


def _flags() -> list[tuple[int, int, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(DuplicateFlag).order_by(DuplicateFlag.id))
    return [(f.enterprise_id, f.candidate_id, f.status) for f in rows]


def test_renaming_on_the_page_to_a_near_name_in_the_zone_flags_it(client, world, sign_in):
    twin = make_enterprise(world.enterprise.zone, [], name="北京锂电新能源科技有限公司")
    sign_in(world.sme)
    response = client.post("/my/enterprise", data=_profile_form())  # same name: nothing to flag
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _flags() == []
    response = client.post("/my/enterprise", data=_profile_form(name="北京锂电新能源有限公司"))
    assert response.status_code == 302  # flagged for an admin, never refused
    assert _flags() == [(world.enterprise.id, twin.id, FlagStatus.OPEN)]
    flag = db.session.scalar(select(DuplicateFlag))
    assert (flag.enterprise_name, flag.candidate_name) == (
        "北京锂电新能源有限公司",
        "北京锂电新能源科技有限公司",
    )
    # Another close spelling while the flag is open leaves the admin one decision, not two.
    client.post("/my/enterprise", data=_profile_form(name="北京市锂电新能源有限公司"))
    assert len(_flags()) == 1


def test_renaming_through_the_api_flags_and_other_zones_do_not_count(client, world):
    elsewhere = make_zone("wuhan", "武汉东湖新技术开发区")
    make_enterprise(elsewhere, [], name="武汉锂电新能源科技有限公司")
    twin = make_enterprise(world.enterprise.zone, [], name="北京锂电新能源科技有限公司")
    url = f"/api/v1/enterprises/{world.enterprise.id}"
    response = client.patch(url, json={"name": "锂电新能源有限公司"}, headers=auth(world.sme))
    assert response.status_code == 200, response.json
    assert _flags() == [(world.enterprise.id, twin.id, FlagStatus.OPEN)]


def test_moving_to_another_zone_checks_the_names_there(client, world):
    wuhan = make_zone("wuhan", "武汉东湖新技术开发区")
    twin = make_enterprise(wuhan, [], name="锂动新能源科技有限公司")
    response = client.patch(
        f"/api/v1/enterprises/{world.enterprise.id}",
        json={"zone": "wuhan"},
        headers=auth(world.sme),
    )
    assert response.status_code == 200, response.json
    assert _flags() == [(world.enterprise.id, twin.id, FlagStatus.OPEN)]
