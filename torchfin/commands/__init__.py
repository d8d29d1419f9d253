"""The `flask` command groups, one module each; what they share lives in `console`."""

from torchfin.commands.demo import demo_cli
from torchfin.commands.finance import audit_cli, ledger_cli, payments_cli
from torchfin.commands.matching import match_cli
from torchfin.commands.policies import policies_cli
from torchfin.commands.pools import pool_cli
from torchfin.commands.readiness import readiness_cli
from torchfin.commands.registry import registry_cli
from torchfin.commands.rq import rq_cli
from torchfin.commands.search import search_cli
from torchfin.commands.tokens import tokens_cli

GROUPS = (
    search_cli,
    demo_cli,
    rq_cli,
    ledger_cli,
    audit_cli,
    payments_cli,
    pool_cli,
    policies_cli,
    readiness_cli,
    registry_cli,
    match_cli,
    tokens_cli,
)
