"""Reading a query without Elasticsearch: places, rounds and instruments recognised in it,
simplified characters, and the synonym table."""

import pytest

from search.regions import place_names, zone_names
from search.segmentation import segment_for_index, segment_for_query
from search.simplified import to_simplified
from search.synonyms import (
    TABLE,
    alternatives,
    industries_named,
    parse_table,
    synonym_table,
)
from search.text_query import read_query
from search.understanding import understand
from torchfin.reference_data.zones import ZONES_BY_CODE

EVERY_FACET = frozenset({"zone", "province", "stage", "instrument"})


def _terms(query: str, **options) -> list[tuple[str, str, tuple[str, ...]]]:
    reading = understand(query, options.pop("facets", EVERY_FACET), **options)
    return [(term.facet, term.text, term.values) for term in reading.terms]


@pytest.mark.parametrize(
    ("query", "terms", "text"),
    [
        ("中关村 大数据", [("zone", "中关村", ("zhongguancun",))], "大数据"),
        ("张江生物医药", [("zone", "张江", ("shanghai_zhangjiang",))], "生物医药"),
        ("东湖 光通信", [("zone", "东湖", ("wuhan_donghu",))], "光通信"),
        ("光谷 激光", [("zone", "光谷", ("wuhan_donghu",))], "激光"),
        ("深圳 无人机", [("zone", "深圳", ("shenzhen",))], "无人机"),
        ("长春 汽车", [("zone", "长春", ("changchun", "changchun_jingyue"))], "汽车"),
        ("广东 储能", [("province", "广东", ("广东省",))], "储能"),
        ("北京市 人工智能", [("province", "北京市", ("北京市",))], "人工智能"),
        ("A轮 医疗器械", [("stage", "A轮", ("a",))], "医疗器械"),
        ("天使轮 人工智能", [("stage", "天使轮", ("angel",))], "人工智能"),
        ("种子期 新材料", [("stage", "种子期", ("seed",))], "新材料"),
        ("Pre-A 芯片", [("stage", "Pre-A", ("angel", "a"))], "芯片"),
        ("pre‐ipo 锂电池", [("stage", "pre‐ipo", ("pre_ipo",))], "锂电池"),
        ("B轮 储能", [("stage", "B轮", ("b",))], "储能"),
        ("C轮 新能源汽车", [("stage", "C轮", ("c_plus",))], "新能源汽车"),
        (
            "贷款 光伏",
            [("instrument", "贷款", ("bank_loan", "guaranteed_loan", "ip_pledge_loan"))],
            "光伏",
        ),
        (
            "债权 新材料",
            [
                (
                    "instrument",
                    "债权",
                    ("bank_loan", "guaranteed_loan", "ip_pledge_loan", "convertible"),
                )
            ],
            "新材料",
        ),
        ("股权 储能", [("instrument", "股权", ("equity",))], "储能"),
        ("知识产权质押 软件", [("instrument", "知识产权质押", ("ip_pledge_loan",))], "软件"),
        (
            "中关村A轮大数据",
            [("zone", "中关村", ("zhongguancun",)), ("stage", "A轮", ("a",))],
            "大数据",
        ),
    ],
)
def test_places_rounds_and_instruments_are_recognised_and_leave_the_words(query, terms, text):
    assert _terms(query) == terms
    assert understand(query, EVERY_FACET).text == text


@pytest.mark.parametrize(
    "query",
    [
        "股权激励平台",  # 股权 begins a longer word here
        "算力租赁",  # bare 租赁 is a business, not an instrument
        "白银 回收",  # 白银 is silver before it is a city
        "稀土 永磁",  # 包头稀土… names a zone, 稀土 alone does not
        "abc轮",  # no round ends the word abc
        "锂电池",
    ],
)
def test_words_that_only_look_like_terms_stay_words(query):
    assert _terms(query) == []
    assert understand(query, EVERY_FACET).text == query.replace("  ", " ")


def test_traditional_and_full_width_input_is_read_simplified():
    reading = understand("深圳 無人機 Ａ輪", EVERY_FACET)
    assert [(t.facet, t.text) for t in reading.terms] == [("zone", "深圳"), ("stage", "A轮")]
    assert reading.text == "无人机"


def test_a_term_taken_literally_stays_in_the_words_whatever_its_script_or_case():
    reading = understand("中关村 A轮 大数据", EVERY_FACET, frozenset({"中關村", "a轮"}))
    assert reading.terms == ()
    assert reading.text == "中关村 A轮 大数据"
    only_zone = understand("中关村 A轮 大数据", EVERY_FACET, frozenset({"A轮"}))
    assert [t.text for t in only_zone.terms] == ["中关村"]


def test_query_without_a_term_keeps_the_other_terms():
    reading = understand("中关村 A轮 大数据", EVERY_FACET)
    zone, stage = reading.terms
    assert reading.query_without(zone) == "A轮 大数据"
    assert reading.query_without(stage) == "中关村 大数据"


def test_only_the_terms_a_kind_can_filter_on_are_recognised():
    assert [t.facet for t in read_query("project", "深圳 A轮 贷款 无人机").terms] == [
        "zone",
        "stage",
        "instrument",
    ]
    enterprise = read_query("enterprise", "深圳 A轮 无人机")
    assert [t.facet for t in enterprise.terms] == ["zone"]
    assert enterprise.text == "A轮 无人机"
    assert read_query("mandate", "深圳 无人机").terms == ()


def test_zone_short_forms_are_derived_from_the_official_names():
    assert zone_names(ZONES_BY_CODE["wuhan_donghu"]) == {"武汉东湖新技术开发区", "武汉东湖", "东湖"}
    assert zone_names(ZONES_BY_CODE["shanghai_zhangjiang"]) == {
        "上海张江高新技术产业开发区",
        "上海张江",
        "张江",
    }
    assert zone_names(ZONES_BY_CODE["zhongguancun"]) == {"中关村科技园区", "中关村"}
    # The theme between place and kind is part of the kind: 稀土 is no name of Baotou's zone.
    assert zone_names(ZONES_BY_CODE["baotou"]) == {"包头稀土高新技术产业开发区", "包头"}
    places = place_names()
    # A province's name wins over the city of the same name; 北京 the municipality likewise.
    assert places["吉林"].facet == "province" and places["北京"].facet == "province"
    assert places["吉林市"].values == ("jilin",)
    # 火炬 is shared by three zones' names (威海, 中山, 厦门): it stands for none.
    assert "火炬" not in places


def test_text_is_simplified_before_segmentation_at_index_and_query_time():
    assert to_simplified("動力電池") == "动力电池"
    assert to_simplified("ＡＩ晶片") == "AI晶片"
    assert segment_for_index("鋰電池隔膜") == segment_for_index("锂电池隔膜")
    assert segment_for_query("動力電池 鋰電池") == segment_for_query("动力电池 锂电池")


def test_the_synonym_table_parses_and_expands_without_chaining_lines():
    table = parse_table("=\t光伏\t太阳能电池\n>\t太阳能\t光伏\t光热\n=\t新能源车\t太阳能\n")
    assert table["光伏"] == ("太阳能电池",)
    assert table["太阳能"] == ("新能源车", "光伏", "光热")
    # An equal of a broader term finds its narrower terms too, but 光伏 does not find 光热.
    assert table["新能源车"] == ("太阳能", "光伏", "光热")
    assert "光热" not in table
    with pytest.raises(ValueError, match="line 2"):
        parse_table("=\t光伏\t太阳能电池\n~\t光伏\t光热\n")
    with pytest.raises(ValueError, match="line 1"):
        parse_table("=\t光伏\n")


def test_the_reviewed_table_is_well_formed_and_holds_the_issue_s_groups():
    table = synonym_table()
    assert len(TABLE.read_text(encoding="utf-8").splitlines()) > 60
    assert {"太阳能电池", "太阳能光伏"} <= set(table["光伏"])
    assert {"锂电池", "锂离子电池"} <= set(table["锂电"])
    assert "人工智能" in table["ai"] and "AI" in table["人工智能"]
    assert "新能源汽车" in table["新能源车"]
    assert {"芯片", "IC"} <= set(table["集成电路"])


def test_alternatives_replace_one_word_at_a_time():
    assert alternatives("AI 芯片")[:2] == ("人工智能 芯片", "人工智慧 芯片")
    assert "AI 集成电路" in alternatives("AI 芯片")
    assert alternatives("太阳能") == ("光伏", "光热", "太阳能电池")
    # A synonym the query already holds is no alternative.
    assert alternatives("CAR-T 细胞治疗") == ("CAR-T 细胞疗法",)
    assert alternatives("机器人") == ()


def test_industry_names_are_found_as_whole_words_only():
    assert industries_named("生物医药") == ("bio.pharma",)
    assert industries_named("动力电池 回收") == ("nev.battery",)
    # 新能源车 is a vehicle, not the energy industry 新能源 its first characters name.
    assert industries_named("新能源车") == ("nev",)
    assert industries_named("大数据") == ()
