"""Finance workflows: payments, the ledger, the audit trail, guarantee cases, pools, incentives."""
