"""Domain services: rules and state machines, each owning its SQL transaction."""
