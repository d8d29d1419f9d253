"""Matching and deals: scoring matches, investors' responses, deals, pipeline stages, data rooms."""
