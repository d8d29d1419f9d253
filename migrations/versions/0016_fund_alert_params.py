"""fund alerts keep a code and params: worded in the reader's language, not stored in English

An alert stored its sentence, in English ("中关村早期一号: CNY 15,000,000.00 called since
2022-03-01 is idle for 15 months (limit 12)."), and the Chinese pages showed it as it was. It
now keeps the sub-fund's name and the figures found (`params`, JSON), and the services word it
in either language. Each stored sentence is read back into params by the wording it was written
in (one per condition, unchanged from 0003 on); a sentence no wording fits (edited by hand) is
kept as `legacy_message` and shown as it is. Downgrading writes the English sentences again.

Revision ID: 0016_fund_alert_params
Revises: 0015_sqlite_autoincrement
Create Date: 2026-12-06 10:00:00.000000

"""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_fund_alert_params"
down_revision = "0015_sqlite_autoincrement"
branch_labels = None
depends_on = None

# The English wording of each condition as the services wrote it. A slot {param:kind} is one
# figure; its kind says how the sentence wrote it and how it reads back into params.
WORDINGS = {
    "guidance_stake": "{sub_fund:name}: Guidance stake {share:pct}, cap {cap:pct}.",
    "not_largest_lp": "{sub_fund:name}: Guidance commitment CNY {guidance_commitment:yuan}; "
    "largest other LP CNY {largest_other:yuan}.",
    "reinvestment": "{sub_fund:name}: In-zone placements CNY {reinvested:yuan}, "
    "{achieved:times}x the guidance commitment; required {required:times}x (investment period "
    "to {period_end:day}).",
    "early_stage_share": "{sub_fund:name}: Early-stage or tech-SME placements CNY "
    "{early_stage:yuan}, {share:pct} of deployed; required at least {required:pct}.",
    "idle_money": "{sub_fund:name}: CNY {idle:yuan} called since {idle_since:day} is idle for "
    "{idle_months:months} months (limit {limit:months}).",
}


class Kind(NamedTuple):
    """How a figure of one kind is written in a sentence and read back from it."""

    pattern: str
    read: Callable[[str], Any]
    write: Callable[[Any], str]


KINDS = {
    "name": Kind(r".+", str, str),
    # Ratios such as 0.2500 were written as 25.00%, or — without a base.
    "pct": Kind(
        r"—|-?\d+\.\d{2}%",
        lambda text: None if text == "—" else str(Decimal(text[:-1]).scaleb(-2)),
        lambda share: "—" if share is None else f"{Decimal(share) * 100:.2f}%",
    ),
    "yuan": Kind(
        r"-?[\d,]+\.\d{2}",
        lambda text: text.replace(",", ""),
        lambda amount: f"{Decimal(amount):,.2f}",
    ),
    # A multiple without a base or with nothing achieved was written 0.
    "times": Kind(r"-?\d+(?:\.\d+)?", str, lambda multiple: str(Decimal(multiple or 0) or 0)),
    "day": Kind(r"\d{4}-\d{2}-\d{2}", str, str),
    "months": Kind(r"\d+", int, str),
}
SLOT = re.compile(r"\{(\w+):(\w+)\}")


def _pattern(wording: str) -> re.Pattern[str]:
    parts, end = [], 0
    for slot in SLOT.finditer(wording):
        parts.append(re.escape(wording[end : slot.start()]))
        parts.append(f"(?P<{slot[1]}>{KINDS[slot[2]].pattern})")
        end = slot.end()
    return re.compile("".join(parts) + re.escape(wording[end:]))


def read_params(code: str, message: str) -> dict | None:
    """The params of a stored sentence, or None when its condition's wording does not fit it."""
    wording = WORDINGS.get(code)
    found = _pattern(wording).fullmatch(message) if wording else None
    if found is None:
        return None
    return {name: KINDS[kind].read(found[name]) for name, kind in SLOT.findall(wording)}


def write_message(code: str, params: dict) -> str:
    """The English sentence of an alert's code and params, as the services wrote it."""
    return SLOT.sub(lambda slot: KINDS[slot[2]].write(params[slot[1]]), WORDINGS[code])


def _alerts(*columns: sa.ColumnClause) -> sa.TableClause:
    return sa.table("fund_alert", sa.column("id", sa.Integer()), sa.column("code"), *columns)


def _rebuilt():
    # SQLite rebuilds the table; reflection would drop its AUTOINCREMENT (see 0015).
    return op.batch_alter_table("fund_alert", table_kwargs={"sqlite_autoincrement": True})


def upgrade():
    with _rebuilt() as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("legacy_message", sa.String(length=500), nullable=True))
    alerts = _alerts(
        sa.column("message"), sa.column("params", sa.JSON()), sa.column("legacy_message")
    )
    connection = op.get_bind()
    for id_, code, message in connection.execute(
        sa.select(alerts.c.id, alerts.c.code, alerts.c.message)
    ).all():
        params = read_params(code, message)
        connection.execute(
            alerts.update()
            .where(alerts.c.id == id_)
            .values(params=params or {}, legacy_message=message if params is None else None)
        )
    with _rebuilt() as batch_op:
        batch_op.alter_column("params", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("message")


def downgrade():
    with _rebuilt() as batch_op:
        batch_op.add_column(sa.Column("message", sa.String(length=500), nullable=True))
    alerts = _alerts(
        sa.column("message"), sa.column("params", sa.JSON()), sa.column("legacy_message")
    )
    connection = op.get_bind()
    for id_, code, params, legacy in connection.execute(
        sa.select(alerts.c.id, alerts.c.code, alerts.c.params, alerts.c.legacy_message)
    ).all():
        message = legacy if legacy is not None else write_message(code, params)
        connection.execute(alerts.update().where(alerts.c.id == id_).values(message=message[:500]))
    with _rebuilt() as batch_op:
        batch_op.alter_column("message", existing_type=sa.String(length=500), nullable=False)
        batch_op.drop_column("legacy_message")
        batch_op.drop_column("params")
