"""Schema of the zone dashboard: its tables as served to the API and to the page's charts."""

from decimal import Decimal

from marshmallow import Schema, fields

from schemas.fields import WholeNumber


class Cell(fields.Field):
    """A table cell: codes and counts as they are, amounts in yuan as decimal strings."""

    def _serialize(self, value, attr, obj, **kwargs):
        return f"{value:.2f}" if isinstance(value, Decimal) else value


class TableSchema(Schema):
    """One dashboard table."""

    key = fields.String()
    columns = fields.List(fields.String())
    rows = fields.List(fields.List(Cell()))


class NamesSchema(Schema):
    """The Chinese and English names of a code."""

    zh = fields.Function(lambda names: names[0])
    en = fields.Function(lambda names: names[1])


class ZoneDashboardSchema(Schema):
    """Every table of a zone's dashboard and the names of the codes they use."""

    zone = fields.Function(lambda dashboard: dashboard.zone.code)
    readiness_rule_set = fields.String(allow_none=True)
    readiness_batch_id = WholeNumber(allow_none=True)
    tables = fields.List(fields.Nested(TableSchema))
    zone_names = fields.Dict(keys=fields.String(), values=fields.Nested(NamesSchema))
    industry_names = fields.Dict(keys=fields.String(), values=fields.Nested(NamesSchema))
    policy_names = fields.Dict(keys=fields.String(), values=fields.Nested(NamesSchema))


zone_dashboard_schema = ZoneDashboardSchema()
