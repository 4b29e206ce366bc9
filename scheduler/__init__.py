"""Bayplan domain: workshop model, validation and planning services (no solver imports)."""
