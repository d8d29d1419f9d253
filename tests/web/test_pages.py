"""Web pages rendered from SQL only (no Elasticsearch or Redis): home, sign-in, detail pages."""

import re

from tests.factories.accounts import PASSWORD
from tests.factories.web import OWNER_REVENUE, WebSeed

OWNER_REVENUE_ZH = "8,765.43万元"
OWNER_REVENUE_EN = "CNY 87,654,321.00"
assert OWNER_REVENUE == 87_654_321  # the figures above are this revenue, formatted


def _zone_row(name: str, province: str, enterprises: int, projects: int) -> re.Pattern:
    return re.compile(
        rf"<td>{name}</td>\s*<td>{province}</td>\s*"
        rf'<td class="num">{enterprises}</td>\s*<td class="num">{projects}</td>'
    )


def _stat(name: str, value: str) -> re.Pattern:
    return re.compile(rf'data-stat="{name}">\s*<span class="stat-value">{re.escape(value)}</span>')


def test_home_shows_counts_zone_table_and_industries_in_chinese(web_client):
    page = web_client.get("/").get_data(as_text=True)

    assert '<html lang="zh-CN">' in page
    assert "火炬投融资项目数据库" in page
    assert _stat("enterprises", "2").search(page)
    assert _stat("published_projects", "1").search(page)  # the draft is not counted
    assert _stat("institutions", "1").search(page)
    assert _stat("mandates", "1").search(page)
    assert _stat("amount_sought", "1,500万元").search(page)  # the 300万 draft is left out
    assert _zone_row("中关村科技园区", "北京市", 2, 1).search(page)
    assert "武汉东湖新技术开发区" not in page  # a zone without enterprises is not "top"
    assert "新一代信息技术" in page


def test_home_in_english_with_lang_en_and_the_choice_sticks(web_client):
    page = web_client.get("/?lang=en").get_data(as_text=True)

    assert '<html lang="en">' in page
    # Jinja's newstyle gettext treats catalogue text as markup, so "&" arrives unescaped.
    assert "Torch Investment & Financing Project Database" in page
    assert "Top high-tech zones by number of enterprises" in page
    assert _stat("amount_sought", "CNY 15,000,000.00").search(page)
    assert _zone_row("Zhongguancun Science Park", "Beijing", 2, 1).search(page)
    assert "Next-generation information technology" in page
    assert "中关村科技园区" not in page
    # The choice is remembered for the next page, until ?lang=zh switches back.
    assert "Top high-tech zones" in web_client.get("/").get_data(as_text=True)
    assert "企业数量居前的国家高新区" in web_client.get("/?lang=zh").get_data(as_text=True)


def test_home_renders_on_an_empty_database(web_empty_app):
    response = web_empty_app.test_client().get("/")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _stat("enterprises", "0").search(page)
    assert _stat("amount_sought", "0.00元").search(page)
    assert "暂无企业数据。" in page


def test_login_with_wrong_password_is_refused_with_401_and_a_message(web_client, web_seed):
    response = web_client.post(
        "/login", data={"email": web_seed.owner_email, "password": "not the password"}
    )

    assert response.status_code == 401
    assert "电子邮箱或密码不正确。" in response.get_data(as_text=True)
    assert web_client.get("/search").status_code == 302  # still signed out


def test_login_with_right_password_redirects_home_and_shows_display_name_and_role(
    web_client, web_seed
):
    response = web_client.post("/login", data={"email": web_seed.owner_email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = web_client.get("/").get_data(as_text=True)
    assert "张经理" in page
    assert "企业用户" in page
    assert "欢迎，张经理。" in page  # flashed once after signing in


def test_login_follows_a_local_next_but_not_an_external_one(web_client, web_seed):
    credentials = {"email": web_seed.owner_email, "password": PASSWORD}

    external = web_client.post("/login?next=https://evil.example/x", data=credentials)
    assert external.headers["Location"] == "/"
    web_client.post("/logout")
    local = web_client.post(f"/login?next=/enterprises/{web_seed.enterprise_id}", data=credentials)
    assert local.headers["Location"] == f"/enterprises/{web_seed.enterprise_id}"


def test_logout_signs_out(web_client, web_login, web_seed):
    web_login(web_seed.owner_email)

    response = web_client.post("/logout")

    assert response.status_code == 302
    assert web_client.get("/search").status_code == 302


def test_search_page_requires_login_and_redirects_to_login_with_next(web_client):
    response = web_client.get("/search?q=芯片")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert "%2Fsearch" in response.headers["Location"]


def test_search_with_invalid_arguments_shows_field_messages_with_422(
    web_client, web_login, web_seed
):
    # Validation fails before Elasticsearch is asked, so this needs no search server.
    web_login(web_seed.owner_email)

    response = web_client.get("/search?page=0&amount_min=abc")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "页码：" in page
    assert "金额下限（元）：请输入金额，例如 1500000.00。" in page  # in the page's language


def test_another_smes_draft_project_is_404_but_its_owner_sees_it(web_client, web_login, web_seed):
    draft = f"/projects/{web_seed.draft_project_id}"
    web_login(web_seed.other_email)

    response = web_client.get(draft)

    assert response.status_code == 404
    assert '<p class="error-code">404</p>' in response.get_data(as_text=True)
    web_client.post("/logout")
    web_login(web_seed.owner_email)
    assert web_client.get(draft).status_code == 200


def test_published_project_page_shows_its_terms(web_client, web_login, web_seed):
    web_login(web_seed.other_email)

    page = web_client.get(f"/projects/{web_seed.published_project_id}").get_data(as_text=True)

    assert "边缘AI芯片量产线建设" in page
    assert "1,500万元" in page
    assert "股权融资" in page
    assert "B轮" in page
    assert f'href="/enterprises/{web_seed.enterprise_id}"' in page


def test_enterprise_financials_shown_to_its_owner(web_client, web_login, web_seed: WebSeed):
    web_login(web_seed.owner_email)

    page = web_client.get(f"/enterprises/{web_seed.enterprise_id}").get_data(as_text=True)

    assert OWNER_REVENUE_ZH in page
    assert "91110108MA00000001" in page
    assert "下一代芯片研发（草稿）" in page  # its own draft is listed for it


def test_enterprise_financials_hidden_from_another_sme(web_client, web_login, web_seed: WebSeed):
    web_login(web_seed.other_email)
    url = f"/enterprises/{web_seed.enterprise_id}"

    page = web_client.get(url).get_data(as_text=True)
    english = web_client.get(f"{url}?lang=en").get_data(as_text=True)

    assert "财务数据属于保密信息" in page
    assert OWNER_REVENUE_ZH not in page
    assert OWNER_REVENUE_EN not in english
    assert "91110108MA00000001" in page  # the public profile is still shown
    assert "下一代芯片研发（草稿）" not in page


def test_unknown_page_is_an_html_404_while_the_api_keeps_json(web_client):
    page = web_client.get("/no-such-page")
    api = web_client.get("/api/v1/no-such-resource")

    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert api.status_code == 404
    assert api.get_json()["code"] == 404


def test_swagger_ui_and_echarts_are_served_from_node_modules(web_client):
    with web_client.get("/vendor/swagger-ui/swagger-ui-bundle.js") as swagger:
        assert swagger.status_code == 200
        assert swagger.mimetype == "text/javascript"
    with web_client.get("/vendor/echarts/echarts.min.js") as echarts:
        assert echarts.status_code == 200
    assert web_client.get("/vendor/swagger-ui/../package.json").status_code == 404
