"""The zone dashboard page: each chart drawn by ECharts over its table, with a CSV download."""

import csv
import io

from flask import Response, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from schemas.dashboard import zone_dashboard_schema
from torchfin.services.dashboards.zone import zone_dashboard
from torchfin.services.spreadsheet_cells import safe_row
from torchfin.web import web
from torchfin.web.context import language
from torchfin.web.readiness import OUTCOMES
from torchfin.web.session_user import session_user

TITLES = {
    "industry_map": _l("战略性新兴产业分布图（企业数）"),
    "financing_gap": _l("分行业融资缺口（元）"),
    "pipeline": _l("融资项目漏斗"),
    "readiness": _l("新三板挂牌条件检查"),
    "exposure": _l("担保与风险补偿资金池敞口（元）"),
    "policy_budget": _l("政策年度预算执行（元）"),
    "policy_applications": _l("政策申报按状态"),
    "policy_leverage": _l("每元补贴带动的融资"),
}
COLUMNS = {
    "zone": _l("高新区"),
    "industry": _l("行业"),
    "enterprises": _l("企业数"),
    "demand": _l("融资需求"),
    "matched": _l("已对接"),
    "funded": _l("已融资"),
    "gap": _l("缺口"),
    "stage": _l("阶段"),
    "projects": _l("项目数"),
    "amount": _l("金额"),
    "outcome": _l("结论"),
    "kind": _l("类别"),
    "loans": _l("笔数"),
    "principal": _l("本金"),
    "policy": _l("政策"),
    "year": _l("年度"),
    "budget": _l("年度预算"),
    "reserved": _l("已批准待拨付"),
    "paid": _l("已拨付"),
    "left": _l("预算余额"),
    "applied": _l("已申报"),
    "reviewing": _l("审核中"),
    "approved": _l("已批准"),
    "rejected": _l("未通过"),
    "decision_days": _l("平均审批天数"),
    "subsidy_paid": _l("已拨付补贴"),
    "loan_principal": _l("贴息贷款本金"),
    "guarantee_amount": _l("补贴担保费的担保金额"),
    "per_yuan": _l("每元补贴带动融资（元）"),
}
ROW_LABELS = {
    "published": _l("已发布"),
    "in_talks": _l("洽谈中"),
    "funded": _l("已完成融资"),
    "guarantees_outstanding": _l("在保担保贷款"),
    "guarantees_overdue": _l("其中逾期"),
    "pool_loans_active": _l("资金池在册贷款"),
    "pool_loans_defaulted": _l("资金池违约贷款"),
    "zone_total": _l("全区合计"),
    **OUTCOMES,
}
NOTES = {
    "financing_gap": _l(
        "已对接：已进入洽谈或完成融资的项目所需金额；撮合引擎的推荐在机构表示意向前不计入。"
    ),
    "readiness": _l("取自本区最近一次完成的批量检查。"),
    "policy_applications": _l("平均审批天数：自申报至批准或驳回。"),
    "policy_leverage": _l(
        "带动融资：获贴息贷款的本金与获担保费补贴的担保金额之和，除以已拨付补贴；"
        "全区合计中同一笔贷款只计一次。"
    ),
}


@web.get("/zones/<code>/dashboard")
@login_required
def zone_dashboard_page(code: str):
    """Charts of the zone, each with its data table and CSV download beneath."""
    dashboard = zone_dashboard(session_user(), code)
    return render_template(
        "zone_dashboard.html",
        dashboard=dashboard,
        data=zone_dashboard_schema.dump(dashboard),
        titles=TITLES,
        columns=COLUMNS,
        row_labels=ROW_LABELS,
        notes=NOTES,
        chart_labels={
            "language": language(),
            "titles": {k: str(v) for k, v in TITLES.items()},
            "columns": {k: str(v) for k, v in COLUMNS.items()},
            "rows": {k: str(v) for k, v in ROW_LABELS.items()},
        },
    )


@web.get("/zones/<code>/dashboard/<key>.csv")
@login_required
def zone_dashboard_csv(code: str, key: str):
    """One dashboard table as CSV (UTF-8 with BOM, so Excel reads the Chinese).

    Written from the service's rows, not the API's: amounts stay numbers in the sheet (the API
    sends them as strings, which the CSV would have to treat as text).
    """
    dashboard = zone_dashboard(session_user(), code)
    table = next((t for t in dashboard.tables if t.key == key), None)
    if table is None:
        abort(404)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(safe_row(table.columns))
    writer.writerows(safe_row(row) for row in table.rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={code}-{key}.csv"},
    )
