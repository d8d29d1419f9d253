"""Investors' queries through the search API over a demo-like corpus (92 projects in 39 zones,
with distractors): places and rounds lift the records meeting them without filtering the others
out, synonyms rank below the words typed, traditional characters find simplified records and
back, and the response shows every term it read with its filter and its undo."""

import pytest

from search.sync import rebuild
from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_zone, published_project
from tests.search.relevance import INVESTOR_QUERIES, index_set
from torchfin.extensions import db
from torchfin.models.enums import Role, Stage

PROJECTS = INVESTOR_QUERIES.projects
ENTERPRISES = INVESTOR_QUERIES.enterprises


@pytest.fixture
def corpus(app, es) -> dict[int, str]:
    """The investor-queries corpus, indexed: project id -> its key."""
    return index_set(INVESTOR_QUERIES, es, app.config["SEARCH_INDEX_PREFIX"])


@pytest.fixture
def headers() -> dict[str, str]:
    return auth(make_user(Role.INVESTOR))


def _search(client, headers, **params) -> dict:
    response = client.get("/api/v1/search", query_string=params, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _ranked(client, headers, corpus, q: str, **params) -> list[str]:
    result = _search(client, headers, q=q, page_size=20, **params)
    return [corpus[hit["id"]] for hit in result["hits"]]


def _zone(key: str) -> str:
    return ENTERPRISES[PROJECTS[key][2]][1]


def _stage(key: str) -> str:
    return PROJECTS[key][3]


def test_a_place_lifts_its_records_above_the_same_words_elsewhere(client, headers, corpus):
    ranked = _ranked(client, headers, corpus, "中关村 大数据")
    assert set(ranked[:2]) == {"bd-bj-gov", "bd-bj-industrial"}
    # Not a filter: big data elsewhere follows, nothing is lost.
    assert {"bd-gy-center", "bd-hz-marketing"} <= set(ranked[2:])

    ranked = _ranked(client, headers, corpus, "深圳 无人机")
    assert set(ranked[:3]) == {"drone-sz-inspect", "drone-sz-flight", "drone-sz-delivery"}
    assert {"drone-xa-fixed", "drone-cd-agri"} <= set(ranked[3:5])
    # Shenzhen's records of other industries do not fill the list.
    assert [k for k in ranked if _zone(k) == "shenzhen" and not k.startswith("drone")] == []


def test_a_round_lifts_its_records_above_the_same_words_in_other_rounds(client, headers, corpus):
    ranked = _ranked(client, headers, corpus, "A轮 医疗器械")
    assert set(ranked[:4]) == {
        "med-sh-vascular",
        "med-wh-ortho",
        "med-sz-endoscope",
        "med-sz-ultrasound",
    }
    assert {"med-bj-robot", "med-sh-ivd"} & set(ranked[4:])  # B rounds follow
    assert "gym-equipment" not in ranked[:6]  # 健身器械 shares 器械, and is an A round

    ranked = _ranked(client, headers, corpus, "天使轮 人工智能")
    assert set(ranked[:2]) == {"ai-bj-vision", "ai-hz-llm"}
    assert all(_stage(key) == "angel" for key in ranked[:2])
    # Angel rounds of other industries are not lifted by the round alone.
    assert "pv-qd-station" not in ranked and "reducer-angel" not in ranked


def test_an_instrument_lifts_its_records(client, headers, corpus):
    ranked = _ranked(client, headers, corpus, "贷款 光伏")
    assert set(ranked[:2]) == {"pv-jn-farm", "pv-sx-install"}  # a bank and a guaranteed loan
    assert "pv-fs-inverter" in ranked  # equity, still found


def test_synonyms_find_other_words_below_the_word_itself(client, headers, corpus):
    ranked = _ranked(client, headers, corpus, "太阳能")
    assert sum(key.startswith("pv-") for key in ranked) >= 5  # 光伏 projects, by the synonym

    ranked = _ranked(client, headers, corpus, "光伏")
    said = [k for k in ranked if "光伏" in PROJECTS[k][0] + PROJECTS[k][1]]
    synonym_only = ["solar-cell", "pv-wx-perovskite"]  # 太阳能电池, not 光伏
    assert set(synonym_only) <= set(ranked)
    assert max(map(ranked.index, said)) < min(map(ranked.index, synonym_only))

    ranked = _ranked(client, headers, corpus, "AI 芯片")
    assert set(ranked[:2]) == {"chip-bj-npu", "chip-sh-gpu"}  # AI推理芯片, 人工智能训练芯片


def test_a_narrower_word_ranks_above_records_sharing_only_characters(client, headers, corpus):
    ranked = _ranked(client, headers, corpus, "动力电池")
    assert set(ranked[:2]) == {"bat-cz-lfp", "bat-recycle"}
    # 固态电池 is a kind of 动力电池 (the synonym table says so); 插电式混合动力汽车电驱系统
    # shares one of its three bigrams (动力), short of the two it takes: not a result at all.
    assert "bat-hf-solid" in ranked
    assert "phev-drive" not in ranked


def test_traditional_characters_find_simplified_records(client, headers, corpus):
    assert {"bat-cz-lfp", "bat-recycle"} <= set(_ranked(client, headers, corpus, "動力電池")[:3])
    assert "lithium-sep" in _ranked(client, headers, corpus, "鋰電池")
    mixed = _ranked(client, headers, corpus, "深圳 無人機")
    assert set(mixed[:3]) == {"drone-sz-inspect", "drone-sz-flight", "drone-sz-delivery"}


def test_a_record_written_in_traditional_characters_is_found_in_simplified(
    app, es, client, headers
):
    zone = make_zone("shenzhen", "深圳市高新技术产业园区")
    enterprise = make_enterprise(zone, [], name="香港動力科技有限公司")
    project = published_project(enterprise, "動力電池模組", "1000000.00", Stage.A, "車用鋰離子電池")
    db.session.add(project)
    db.session.commit()
    rebuild(db.session, es, app.config["SEARCH_INDEX_PREFIX"], "project")

    for q in ("动力电池", "锂离子电池", "動力電池"):
        assert [hit["id"] for hit in _search(client, headers, q=q)["hits"]] == [project.id], q


def test_the_response_shows_each_term_with_its_filter_and_its_undo(client, headers, corpus):
    result = _search(client, headers, q="中关村 A轮 大数据")
    assert result["understood"] == [
        {
            "facet": "zone",
            "text": "中关村",
            "values": ["zhongguancun"],
            "q_without": "A轮 大数据",
        },
        {"facet": "stage", "text": "A轮", "values": ["a"], "q_without": "中关村 大数据"},
    ]
    assert result["text_query"] == "大数据"
    ranked = [corpus[hit["id"]] for hit in result["hits"]]
    assert ranked[0] == "bd-bj-gov"  # Zhongguancun and an A round

    # The filter offered: the term's filter set, the term out of q; the same records lead.
    filtered = _search(client, headers, q="A轮 大数据", zone="zhongguancun")
    assert {corpus[hit["id"]] for hit in filtered["hits"]} == {"bd-bj-gov", "bd-bj-industrial"}

    # The undo: the term searched as words again.
    literal = _search(client, headers, q="中关村 A轮 大数据", literal="中关村")
    assert [term["text"] for term in literal["understood"]] == ["A轮"]
    assert literal["text_query"] == "中关村 大数据"
    nothing = _search(client, headers, q="中关村 A轮 大数据", literal=["中关村", "A轮"])
    assert nothing["understood"] == [] and nothing["text_query"] == "中关村 A轮 大数据"


def test_a_query_of_terms_only_finds_the_records_meeting_them(client, headers, corpus):
    result = _search(client, headers, q="包头", page_size=50)
    assert result["understood"][0]["values"] == ["baotou"] and result["text_query"] == ""
    assert {corpus[hit["id"]] for hit in result["hits"]} == {"mat-bt-magnet", "bt-dairy"}


def test_literal_is_documented_and_bounded(client, headers, corpus):
    document = client.get("/api/v1/openapi.json").json
    parameters = document["paths"]["/api/v1/search"]["get"]["parameters"]
    assert "literal" in {p["name"] for p in parameters}
    schemas = document["components"]["schemas"]
    assert {"understood", "text_query"} <= set(schemas["SearchResult"]["properties"])
    assert set(schemas["UnderstoodTerm"]["properties"]) == {"facet", "text", "values", "q_without"}
    response = client.get(
        "/api/v1/search", query_string={"q": "深圳", "literal": ["x"] * 11}, headers=headers
    )
    assert response.status_code == 422 and "literal" in response.json["errors"]["query"]


def test_a_two_character_query_is_not_padded_by_records_sharing_one_character(
    client, headers, corpus
):
    lithium = _search(client, headers, q="锂电", page_size=50)
    ranked = [corpus[hit["id"]] for hit in lithium["hits"]]

    # Every result holds 锂电 itself (锂电池, 锂电隔膜...) in its text or its enterprise's name,
    # or a synonym of the table (锂离子电池; 磷酸铁锂 and 三元锂电池, kinds of 锂电池); none
    # shares only 电 or 锂 with the query.
    def holds(key: str) -> bool:
        title, summary, enterprise, _, _ = PROJECTS[key]
        text = title + summary + ENTERPRISES[enterprise][0]
        return any(word in text for word in ("锂电", "锂离子电池", "磷酸铁锂", "三元锂电池"))

    assert "lithium-sep" in ranked
    assert [key for key in ranked if not holds(key)] == []
    assert sorted(ranked) == sorted(key for key in PROJECTS if holds(key))
    # The total and the facets count the same records.
    assert lithium["total"] == len(ranked)
    assert sum(bucket["count"] for bucket in lithium["facets"]["stage"]) == lithium["total"]
    # Highlights mark the word as one, not its characters one by one, nor 电 alone.
    marked = [f for hit in lithium["hits"] for fs in hit["highlights"].values() for f in fs]
    assert marked and all("<mark>锂电</mark>" in f or "<mark>" not in f for f in marked), marked
    assert not any("<mark>电</mark>" in f for f in marked), marked
