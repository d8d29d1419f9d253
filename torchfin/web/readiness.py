"""Pages of OTC-pilot readiness: the report of one enterprise and the readiness table of a zone."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from schemas.readiness import CheckRequestSchema
from torchfin.services.readiness import batches, checks, profiles
from torchfin.services.readiness.rule_sets import DEFAULT_RULE_SET, RULE_SETS
from torchfin.services.zone_access import require_zone_admin
from torchfin.web import web
from torchfin.web.session_user import session_user

RULE_STATUSES = {"pass": _l("符合"), "fail": _l("不符合"), "unknown": _l("待补充")}
OUTCOMES = {"ready": _l("具备挂牌条件"), "incomplete": _l("信息不全"), "not_ready": _l("暂不具备")}
BATCH_STATUSES = {
    "queued": _l("排队中"),
    "running": _l("运行中"),
    "done": _l("已完成"),
    "failed": _l("失败"),
}
# The API's as-of date of a check, window included, so pages and API take the same days.
_AS_OF = CheckRequestSchema().fields["as_of"]


def _chosen_rule_set() -> str:
    code = request.args.get("rule_set", DEFAULT_RULE_SET)
    return code if code in RULE_SETS else DEFAULT_RULE_SET


def _chosen_date(values: MultiDict) -> date:
    """The as-of date in `values` (query or form), today when it is missing or not one the API
    would take."""
    try:
        return _AS_OF.deserialize(values.get("as_of", ""))
    except ValidationError:
        return date.today()


@web.get("/enterprises/<int:enterprise_id>/readiness")
@login_required
def readiness_report(enterprise_id: int):
    """Every rule of the chosen rule set for one enterprise, with evidence and next steps."""
    rule_set = RULE_SETS[_chosen_rule_set()]
    as_of = _chosen_date(request.args)
    evaluation = checks.preview_enterprise(session_user(), enterprise_id, rule_set.code, as_of)
    return render_template(
        "readiness_report.html",
        enterprise=profiles.followed_enterprise(session_user(), enterprise_id),
        rule_set=rule_set,
        rule_sets=RULE_SETS.values(),
        evaluation=evaluation,
        history=checks.latest_checks(session_user(), enterprise_id),
        rule_statuses=RULE_STATUSES,
        outcomes=OUTCOMES,
    )


@web.get("/zones/<code>/readiness")
@login_required
def zone_readiness(code: str):
    """The zone's latest finished batch for a rule set, as a table, with counts and export."""
    zone = batches.zone_by_code(code)
    require_zone_admin(session_user(), zone)
    rule_set = RULE_SETS[_chosen_rule_set()]
    batch = batches.latest_batch(zone, rule_set.code)
    return render_template(
        "zone_readiness.html",
        zone=zone,
        rule_set=rule_set,
        rule_sets=RULE_SETS.values(),
        batch=batch,
        running=batches.open_batches(zone),
        rows=batches.batch_rows(batch) if batch else [],
        counts=batches.outcome_counts(batch),
        rule_statuses=RULE_STATUSES,
        outcomes=OUTCOMES,
        batch_statuses=BATCH_STATUSES,
        today=date.today(),
    )


@web.post("/zones/<code>/readiness")
@login_required
def start_zone_readiness(code: str):
    """Start a batch run over the zone, then come back to its table."""
    rule_set = request.form.get("rule_set", DEFAULT_RULE_SET)
    as_of = _chosen_date(request.form)
    batch = batches.start_zone_run(session_user(), code, rule_set, as_of)
    flash(_("已提交批量检查（%(n)s 家企业），完成后刷新本页查看。", n=batch.total), "success")
    return redirect(url_for("web.zone_readiness", code=code, rule_set=rule_set))
