"""The search API: filters, facets that respect the other filters, sorting, cursors, type-ahead."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from search.sync import rebuild
from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import EnterpriseQualification, Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Qualification, Role, Stage


@pytest.fixture
def catalogue(app, es):
    """Twelve published battery projects over two zones, two stages and two instruments."""
    industries = make_industries()
    beijing = make_zone()
    wuhan = make_zone("wuhan_donghu", "武汉东湖新技术开发区")
    wuhan.province = "湖北省"
    db.session.commit()
    north = make_enterprise(beijing, [industries["nev.battery"]], name="北京电池甲有限公司")
    south = make_enterprise(wuhan, [industries["it"]], name="武汉光谷乙有限公司")
    north.qualifications = [EnterpriseQualification(kind=Qualification.HIGH_TECH)]
    now = utcnow()
    for i in range(12):
        db.session.add(
            Project(
                enterprise=north if i % 2 else south,
                title=f"动力电池项目{i}",
                summary="动力电池材料",
                amount_sought=Decimal(1_000_000 * (i + 1)),
                instrument=Instrument.EQUITY if i % 3 else Instrument.BANK_LOAN,
                stage=Stage.A if i < 6 else Stage.B,
                status=ProjectStatus.PUBLISHED,
                published_at=now - timedelta(days=i),
                deadline=date(2027, 1, 1) + timedelta(days=12 - i),
            )
        )
    db.session.commit()
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    rebuild(db.session, es, prefix, "project")
    rebuild(db.session, es, prefix, "enterprise")
    return auth(make_user(Role.INVESTOR))


def _get(client, headers, **params):
    response = client.get("/api/v1/search", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _facet(result, name):
    return {bucket["value"]: bucket["count"] for bucket in result["facets"][name]}


def test_facet_counts_respect_the_other_filters_but_not_their_own(client, catalogue):
    result = _get(client, catalogue, q="动力电池", zone="zhongguancun", stage="b")
    assert result["total"] == 3  # north (odd i) and stage b (i >= 6): 7, 9, 11
    # The zone facet ignores the zone filter (so other zones stay clickable) but keeps stage b.
    assert _facet(result, "zone") == {"zhongguancun": 3, "wuhan_donghu": 3}
    # The stage facet ignores the stage filter but keeps the zone filter.
    assert _facet(result, "stage") == {"a": 3, "b": 3}
    assert _facet(result, "qualification") == {"high_tech": 3}


def test_range_and_qualification_filters(client, catalogue):
    result = _get(client, catalogue, amount_min="5000000.00", amount_max="8000000.00")
    assert sorted(hit["amount_sought"] for hit in result["hits"]) == [
        "5000000.00",
        "6000000.00",
        "7000000.00",
        "8000000.00",
    ]
    assert _get(client, catalogue, qualification="high_tech")["total"] == 6


def test_sorting_by_amount_newest_and_deadline(client, catalogue):
    by_amount = _get(client, catalogue, q="动力电池", sort="amount_desc")["hits"]
    assert [h["amount_sought"] for h in by_amount[:2]] == ["12000000.00", "11000000.00"]
    newest = _get(client, catalogue, sort="newest")["hits"]
    assert newest[0]["title"] == "动力电池项目0"
    deadline = _get(client, catalogue, sort="deadline")["hits"]
    assert deadline[0]["title"] == "动力电池项目11"


def test_cursor_pages_through_everything_exactly_once(client, catalogue):
    seen, cursor = [], None
    while True:
        params = {"q": "动力电池", "page_size": 5, **({"cursor": cursor} if cursor else {})}
        page = _get(client, catalogue, **params)
        seen += [hit["id"] for hit in page["hits"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 12


def test_an_empty_result_names_the_filters_that_emptied_it(client, catalogue):
    result = _get(client, catalogue, q="动力电池", zone="wuhan_donghu", qualification="high_tech")
    assert result["total"] == 0
    assert sorted(result["emptied_by"]) == ["qualification", "zone"]


def test_bad_search_arguments_get_field_messages(client, catalogue):
    response = client.get(
        "/api/v1/search",
        query_string={
            "cursor": "not-a-cursor",
            "sort": "random",
            "amount_min": "9",
            "amount_max": "1",
        },
        headers=catalogue,
    )
    assert response.status_code == 422
    assert {"cursor", "sort"} <= set(response.json["errors"]["query"])


def test_type_ahead_finds_names_by_any_part(client, catalogue):
    response = client.get("/api/v1/search/suggest", query_string={"q": "光谷"}, headers=catalogue)
    assert response.status_code == 200
    assert [s["name"] for s in response.json] == ["武汉光谷乙有限公司"]


def test_a_cursor_from_another_sort_is_refused_not_a_server_error(client, catalogue):
    from search.queries import encode_cursor

    response = client.get(
        "/api/v1/search",
        query_string={"sort": "newest", "cursor": encode_cursor(["not-a-date", "x", 1])},
        headers=catalogue,
    )
    assert response.status_code == 422
    assert "cursor" in response.json["errors"]["query"]
