"""Reference data shipped with the platform: national high-tech zones and the industry taxonomy."""
