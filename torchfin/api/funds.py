"""Guidance funds: sub-funds, calls, placements, exits, figures, alerts and quarterly reports."""

from datetime import date

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from schemas.fund import (
    CapitalCallSchema,
    ExitSchema,
    FiguresQuerySchema,
    FundAlertSchema,
    GuidanceFundFiguresSchema,
    PlacementSchema,
    QuarterSchema,
    SubFundFiguresSchema,
    SubFundSchema,
)
from torchfin.api.common import PREFIX, caller
from torchfin.services.funds import report, sub_funds
from torchfin.services.funds.alerts import alerts_of
from torchfin.services.funds.workbook import report_workbook

blp = Blueprint("funds", __name__, url_prefix=f"{PREFIX}/funds", description="Guidance funds")
BLUEPRINTS = (blp,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/<int:guidance_fund_id>/sub-funds")
class SubFunds(MethodView):
    """The sub-funds of a guidance fund."""

    @blp.response(200, SubFundSchema(many=True))
    def get(self, guidance_fund_id: int):
        """List the sub-funds (the fund's managers and admins)."""
        return sub_funds.sub_funds_of(caller(), guidance_fund_id)

    @blp.arguments(SubFundSchema)
    @blp.response(201, SubFundSchema)
    def post(self, data: dict, guidance_fund_id: int):
        """Register a sub-fund with its other LPs and rules."""
        return sub_funds.create_sub_fund(caller(), {**data, "guidance_fund_id": guidance_fund_id})


@blp.get("/<int:guidance_fund_id>/figures")
@blp.arguments(FiguresQuerySchema, location="query")
@blp.response(200, GuidanceFundFiguresSchema)
def guidance_figures(args: dict, guidance_fund_id: int):
    """Totals over the sub-funds as of a date (today by default)."""
    totals, _ = sub_funds.figures_of_guidance_fund(
        caller(), guidance_fund_id, args["as_of"] or date.today()
    )
    return totals


@blp.get("/<int:guidance_fund_id>/alerts")
@blp.response(200, FundAlertSchema(many=True))
def alerts(guidance_fund_id: int):
    """Open alerts of the sub-funds."""
    return alerts_of(caller(), guidance_fund_id)


@blp.get("/<int:guidance_fund_id>/reports/quarterly.xlsx")
@blp.arguments(QuarterSchema, location="query")
@blp.response(200, description="Excel workbook")
def quarterly_workbook(args: dict, guidance_fund_id: int):
    """The quarterly report as an Excel workbook."""
    quarter = report.quarterly_report(caller(), guidance_fund_id, args["year"], args["quarter"])
    return Response(
        report_workbook(quarter),
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename=guidance-{quarter.label}.xlsx"},
    )


@blp.get("/sub-funds/<int:sub_fund_id>")
@blp.response(200, SubFundSchema)
def sub_fund(sub_fund_id: int):
    """Read a sub-fund."""
    return sub_funds.managed_sub_fund(caller(), sub_fund_id)


@blp.get("/sub-funds/<int:sub_fund_id>/figures")
@blp.arguments(FiguresQuerySchema, location="query")
@blp.response(200, SubFundFiguresSchema)
def sub_fund_figures(args: dict, sub_fund_id: int):
    """Leverage, deployment, idle money, reinvestment and each rule's status with evidence."""
    return sub_funds.figures_of_sub_fund(caller(), sub_fund_id, args["as_of"] or date.today())


@blp.post("/sub-funds/<int:sub_fund_id>/capital-calls")
@blp.arguments(CapitalCallSchema)
@blp.response(201, CapitalCallSchema)
def capital_call(data: dict, sub_fund_id: int):
    """Record a capital call."""
    return sub_funds.add_capital_call(caller(), sub_fund_id, data)


@blp.post("/sub-funds/<int:sub_fund_id>/placements")
@blp.arguments(PlacementSchema)
@blp.response(201, PlacementSchema)
def placement(data: dict, sub_fund_id: int):
    """Record a placement into an enterprise."""
    return sub_funds.add_placement(caller(), sub_fund_id, data)


@blp.post("/placements/<int:placement_id>/exits")
@blp.arguments(ExitSchema)
@blp.response(201, ExitSchema)
def placement_exit(data: dict, placement_id: int):
    """Record an exit from a placement."""
    return sub_funds.add_exit(caller(), placement_id, data)
