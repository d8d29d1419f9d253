"""OTC-pilot (NEEQ) readiness: versioned rule sets, checks per enterprise, batch runs per zone."""
