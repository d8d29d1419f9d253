"""Pure helpers of the pages: money, highlights, the `next` check, search argument parsing."""

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from torchfin.web.deal_flow import error_messages, page_window, parse_search_args
from torchfin.web.formatting import format_money, safe_highlight
from torchfin.web.views import local_path


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        (Decimal("0"), "0.00元", "CNY 0.00"),
        (Decimal("8500.50"), "8,500.50元", "CNY 8,500.50"),
        (Decimal("15000000.00"), "1,500万元", "CNY 15,000,000.00"),
        (Decimal("12345678.00"), "1,234.57万元", "CNY 12,345,678.00"),
        (Decimal("250000000.00"), "2.5亿元", "CNY 250,000,000.00"),
        (Decimal("123456789012.34"), "1,234.57亿元", "CNY 123,456,789,012.34"),
    ],
)
def test_money_reads_in_wan_and_yi_for_chinese_and_in_cny_for_english(amount, zh, en):
    assert format_money(amount, "zh") == zh
    assert format_money(amount, "en") == en


def test_highlight_keeps_only_balanced_mark_tags_and_escapes_the_rest():
    fragment = '<mark>芯片</mark><script>alert(1)</script> <b onclick="x">粗</b> <mark>未闭合'

    html = str(safe_highlight(fragment))

    assert html == (
        "<mark>芯片</mark>&lt;script&gt;alert(1)&lt;/script&gt; "
        "&lt;b onclick=&#34;x&#34;&gt;粗&lt;/b&gt; <mark>未闭合</mark>"
    )
    assert str(safe_highlight("</mark>x<mark><mark>y</mark>")) == "x<mark>y</mark>"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/search?q=芯片", "/search?q=芯片"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("/\t/evil.example", None),
        ("javascript:alert(1)", None),
        ("search", None),
        ("", None),
        (None, None),
    ],
)
def test_next_is_honoured_only_for_local_paths(target, expected):
    assert local_path(target) == expected


def test_search_arguments_drop_blanks_and_unknown_keys_and_keep_lists():
    args = MultiDict(
        [
            ("q", " 芯片 "),
            ("zone", ""),
            ("stage", "a"),
            ("stage", "b"),
            ("lang", "en"),
            ("page", "2"),
        ]
    )

    assert parse_search_args(args) == {"q": "芯片", "stage": ["a", "b"], "page": "2"}


def test_nested_validation_messages_are_flattened_with_field_labels(web_empty_app):
    messages = {
        "stage": {1: ["Must be one of: seed."]},
        "page": ["Too big."],
        "query": {
            "amount_min": ["Write amounts as plain decimals such as 1500000.00."],
            "_schema": ["Inverted range."],
        },
    }

    with web_empty_app.test_request_context("/search"):  # labels are translated per request
        flat = error_messages(messages, {"query": "搜索"})

    assert flat == [
        ("融资阶段", "请从列表中选择。"),  # known wordings in the page's language
        ("页码", "Too big."),
        ("金额下限（元）", "请输入金额，例如 1500000.00。"),  # a nested field names itself
        ("搜索", "Inverted range."),  # the nested schema's own, under its given label
    ]


def test_page_window_shows_ends_and_neighbours_with_gaps():
    assert page_window(1, 1) == [1]
    assert page_window(5, 20) == [1, None, 3, 4, 5, 6, 7, None, 20]
    assert page_window(2, 4) == [1, 2, 3, 4]
