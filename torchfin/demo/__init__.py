"""Deterministic demo data: believable enterprises, projects, institutions and demo users."""
