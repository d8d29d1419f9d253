"""Payments: the gateway interface, its sandbox, requesting payments and carrying them out."""
