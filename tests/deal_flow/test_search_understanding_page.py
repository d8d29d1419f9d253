"""The search page shows what it read in the words ("识别为: 地区 中关村 · 轮次 A轮"), and each
term offers its filter in one click and an undo that searches the term as words."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from torchfin.models.enums import Stage


def _hits(html: str) -> list[str]:
    return re.findall(r'href="/projects/(\d+)"', html)


def _link(html: str, attribute: str) -> dict[str, list[str]]:
    href = re.search(rf'href="([^"]+)" {attribute}', html).group(1)
    return parse_qs(urlsplit(unescape(href)).query)


def test_understood_terms_are_shown_with_their_filter_and_undo(
    deal_flow, run_worker, client, sign_in
):
    b_round = deal_flow.publish("动力电池梯次利用产线", stage=Stage.B)
    a_round = deal_flow.publish("动力电池热管理系统", stage=Stage.A)
    run_worker()
    sign_in(deal_flow.investor)

    html = unescape(client.get("/search?q=中关村 A轮 动力电池").get_data(as_text=True))

    said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "识别为： 地区 中关村 · 轮次 A轮" in said
    assert _hits(html)[:2] == [str(a_round), str(b_round)]  # the A round first, the B round kept
    assert "在 中关村科技园区 中筛选" in html and "在 A轮 中筛选" in html
    assert _link(html, 'data-understood-filter="中关村"') == {
        "q": ["A轮 动力电池"],
        "zone": ["zhongguancun"],
    }
    assert _link(html, 'data-understood-filter="A轮"') == {"q": ["中关村 动力电池"], "stage": ["a"]}
    undo = _link(html, 'data-understood-undo="A轮"')
    assert undo == {"q": ["中关村 A轮 动力电池"], "literal": ["A轮"]}
    assert _link(html, "data-understood-undo-all")["literal"] == ["中关村", "A轮"]

    undone = client.get("/search", query_string=undo).get_data(as_text=True)
    assert 'data-understood="stage"' not in undone and 'data-understood="zone"' in undone
    # The form keeps the undo when a filter is changed next.
    assert '<input type="hidden" name="literal" value="A轮">' in undone


def test_the_page_speaks_english_too(deal_flow, run_worker, client, sign_in):
    deal_flow.publish("动力电池热管理系统", stage=Stage.A)
    run_worker()
    sign_in(deal_flow.investor)

    html = unescape(client.get("/search?q=A轮 动力电池&lang=en").get_data(as_text=True))

    assert "Understood as:" in html and "Round" in html
    assert "Filter by Series A" in html and "Search “A轮” as words" in html
