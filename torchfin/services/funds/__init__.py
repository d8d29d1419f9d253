"""Guidance funds: sub-funds and their activity, figures, alerts and quarterly reports."""
