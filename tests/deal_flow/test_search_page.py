"""The search page: every filter becomes a removable chip, facets filter, an empty result names
the filters that emptied it, and "load more" pages with a search_after cursor."""

import re
from html import unescape

from search.sync import rebuild
from torchfin.extensions import db
from torchfin.models.enums import Instrument, Stage


def _hits(html: str) -> list[str]:
    return re.findall(r'href="/projects/(\d+)"', html)


def test_filters_show_as_chips_and_an_empty_result_says_why(deal_flow, run_worker, client, sign_in):
    deal_flow.publish("动力电池梯次利用产线", stage=Stage.B, instrument=Instrument.EQUITY)
    run_worker()
    sign_in(deal_flow.investor)

    response = client.get(
        "/search?q=动力电池&subindustry=nev.battery&stage=seed&founded_from=2010"
        "&rd_intensity_min=0.05&patents_min=0&sort=newest"
    )
    html = unescape(response.get_data(as_text=True))

    assert response.status_code == 200
    chips = set(re.findall(r'class="chip" data-filter="(\w+)"', html))
    assert chips == {"q", "subindustry", "stage", "founded_from", "rd_intensity_min", "patents_min"}
    assert "细分领域：动力电池" in html and "研发强度不低于：5.0%" in html
    # Stage seed and R&D intensity >= 5 % each empty the result alone (16 % intensity passes).
    emptied = set(re.findall(r'data-emptied-by="(\w+)"', html))
    assert "stage" in emptied
    assert "q" not in emptied


def test_facet_links_toggle_and_load_more_goes_past_the_numbered_pages(
    deal_flow, run_worker, client, sign_in
):
    ids = [deal_flow.publish(f"动力电池项目{i}") for i in range(5)]
    run_worker()
    sign_in(deal_flow.investor)

    first = client.get("/search?q=动力电池&sort=newest&page_size=2").get_data(as_text=True)
    assert _hits(first) == [str(i) for i in ids[:-3:-1]]
    assert 'href="/search?q=' in first and "stage=b" in unescape(first)  # the stage facet links
    more = re.search(r'class="button button-secondary load-more" href="([^"]+)"', first)
    second = client.get(unescape(more.group(1))).get_data(as_text=True)
    assert _hits(second) == [str(i) for i in ids[-3:-5:-1]]
    assert "回到第一页" in second


def test_type_ahead_answers_the_page_with_the_session_cookie(app, deal_flow, es, client, sign_in):
    rebuild(db.session, es, app.config["SEARCH_INDEX_PREFIX"], "enterprise")
    sign_in(deal_flow.investor)
    response = client.get("/api/v1/search/suggest?q=锂享")
    assert response.status_code == 200
    assert response.get_json()[0]["name"] == "北京锂享新能源科技有限公司"
    pinyin = client.get("/api/v1/search/suggest?q=lixiang").get_json()
    assert pinyin == [
        {"kind": "enterprise", "id": deal_flow.enterprise_id, "name": "北京锂享新能源科技有限公司"}
    ]
    # The page tells its script where each kind of suggestion leads.
    page = client.get("/search").get_data(as_text=True)
    assert 'data-enterprise-url="/enterprises/0"' in page
    assert 'data-project-url="/projects/0"' in page
