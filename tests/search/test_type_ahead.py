"""Type-ahead through the API: enterprise names and published project titles, in Chinese or by
pinyin prefix (full syllables or initials), hits on the name itself first."""

from decimal import Decimal

import pytest

from search.pinyin import pinyin_fields, pinyin_prefix
from search.sync import rebuild
from tests.factories.accounts import auth, make_user
from tests.factories.registry import make_enterprise, make_industries, make_zone
from torchfin.extensions import db
from torchfin.models import Project
from torchfin.models.base import utcnow
from torchfin.models.enums import Instrument, ProjectStatus, Role, Stage


def test_names_read_in_context_full_and_initials():
    fields = pinyin_fields("name", "重庆银行股份有限公司")
    # The phrase decides the reading: 重庆 chong (not zhong), 银行 hang (not xing).
    assert fields["name_pinyin"] == "chongqingyinhanggufenyouxiangongsi"
    assert fields["name_initials"] == "cqyhgfyxgs"
    assert {"yinhanggufenyouxiangongsi", "yhgfyxgs"} <= set(fields["name_pinyin_tails"])
    assert not any(tail.startswith("chong") for tail in fields["name_pinyin_tails"])


def test_letters_and_digits_in_names_stay_words_and_punctuation_goes():
    fields = pinyin_fields("name", "（北京）ABC-3D科技")
    assert fields["name_pinyin"] == "beijingabc3dkeji"
    assert fields["name_initials"] == "bjabc3dkj"
    assert {"abc3dkeji", "3dkj"} <= set(fields["name_pinyin_tails"])


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [("ZGC", "zgc"), ("zhong guan cun", "zhongguancun"), ("xi'an", "xian"), ("ｚｇｃ", "zgc")],
)
def test_what_was_typed_as_pinyin(typed, prefix):
    assert pinyin_prefix(typed) == prefix


@pytest.mark.parametrize("typed", ["中关", "zg中", "zg*", "2024", " "])
def test_chinese_signs_and_bare_numbers_are_no_pinyin(typed):
    assert pinyin_prefix(typed) is None


def _project(enterprise, title: str, status: ProjectStatus = ProjectStatus.PUBLISHED) -> Project:
    return Project(
        enterprise=enterprise,
        title=title,
        summary="融资用于扩产",
        amount_sought=Decimal("5000000.00"),
        instrument=Instrument.EQUITY,
        stage=Stage.A,
        status=status,
        published_at=utcnow() if status == ProjectStatus.PUBLISHED else None,
    )


@pytest.fixture
def names(app, es) -> dict[str, str]:
    """Enterprises and projects whose names start with, hold or only sound like 中关村 or 重庆."""
    zone, industry = make_zone(), make_industries()["it"]
    for name in (
        "中关村智能科技有限公司",
        "北京中关村生物医药有限公司",
        "ZGC创新服务有限公司",  # the letters themselves, no pinyin needed
        "重庆银行股份有限公司",
        "钟情科技有限公司",  # zhongqing: what 重庆 would be read with the wrong reading
    ):
        make_enterprise(zone, [industry], name=name)
    owner = make_enterprise(zone, [industry], name="北京测试有限公司")
    db.session.add_all(
        [
            _project(owner, "中关村储能电站项目"),
            _project(owner, "中关村草稿项目", ProjectStatus.DRAFT),
        ]
    )
    db.session.commit()
    prefix = app.config["SEARCH_INDEX_PREFIX"]
    rebuild(db.session, es, prefix, "project")
    rebuild(db.session, es, prefix, "enterprise")
    return auth(make_user(Role.INVESTOR))


def _suggest(client, headers, q: str) -> list[tuple[str, str]]:
    response = client.get("/api/v1/search/suggest", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, response.json
    return [(item["kind"], item["name"]) for item in response.json]


ZHONGGUANCUN = [
    ("enterprise", "中关村智能科技有限公司"),
    ("project", "中关村储能电站项目"),
    ("enterprise", "北京中关村生物医药有限公司"),  # 中关村 inside the name: after the starts
]


@pytest.mark.parametrize("typed", ["zhongguancun", "zgc", "zhong guan cun", "ZhongGuanC"])
def test_full_pinyin_and_initials_suggest_the_same_names(client, names, typed):
    found = _suggest(client, names, typed)
    # ZGC… holds the letters themselves: a hit on the name ranks above every pinyin hit.
    literal = [("enterprise", "ZGC创新服务有限公司")] if typed == "zgc" else []
    assert found == literal + ZHONGGUANCUN


def test_chinese_input_still_matches_anywhere_in_the_name_and_drafts_stay_hidden(client, names):
    assert sorted(_suggest(client, names, "中关村")) == sorted(ZHONGGUANCUN)


def test_polyphonic_characters_take_their_reading_in_the_phrase(client, names):
    assert _suggest(client, names, "cqyh") == [("enterprise", "重庆银行股份有限公司")]
    assert _suggest(client, names, "yinhang") == [("enterprise", "重庆银行股份有限公司")]
    assert _suggest(client, names, "chongqing") == [("enterprise", "重庆银行股份有限公司")]
    # 重庆 is not read zhongqing, nor 银行 yinxing: only the name that is zhongqing comes.
    assert _suggest(client, names, "zhongqing") == [("enterprise", "钟情科技有限公司")]
    assert _suggest(client, names, "yinxing") == []


def test_suggestions_link_to_their_kind(client, names):
    response = client.get("/api/v1/search/suggest", query_string={"q": "zgccn"}, headers=names)
    (project,) = response.json
    assert project["kind"] == "project"
    assert db.session.get(Project, project["id"]).title == "中关村储能电站项目"
