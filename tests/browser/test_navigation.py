"""The top navigation on a 1366 x 768 laptop screen: every item reads on one line, in both
languages, for the roles with the most items (a zone administrator's once wrapped 首/页, 搜/索)."""

import pytest

from tests.factories.accounts import PASSWORD, make_user, make_zone_admin
from tests.factories.registry import make_zone
from torchfin.models.enums import Role

WIDTH = 1366

# Each item's text, the number of lines its own text runs over (a badge inside does not count)
# and the right edge of its box.
NAV_ITEMS = """() => [...document.querySelectorAll(".nav a")].map((link) => {
  const tops = new Set();
  for (const node of link.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
  }
  const right = link.getBoundingClientRect().right;
  return {text: link.textContent.trim(), lines: tops.size, right};
})"""


def _zone_admin():
    return make_zone_admin(make_zone())


def _sme():
    make_zone()
    return make_user(Role.SME)  # ten items, the most of any role


@pytest.mark.parametrize("make_person", [_zone_admin, _sme], ids=["zone_admin", "sme"])
def test_every_nav_item_reads_on_one_line_at_1366_px(live_server, page, make_person):
    person = make_person()
    page.set_viewport_size({"width": WIDTH, "height": 768})
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    for language, home in (("zh", "首页"), ("en", "Home")):
        page.goto(f"{live_server}/?lang={language}")
        items = page.evaluate(NAV_ITEMS)
        assert items[0]["text"] == home and len(items) >= 8
        for item in items:
            assert item["lines"] == 1, f"{item['text']} wraps ({language})"
            assert item["right"] <= WIDTH, f"{item['text']} is off the screen ({language})"
