"""Tech-finance policies as data: rules, formulas, declarations, applications, budgets, payouts."""
