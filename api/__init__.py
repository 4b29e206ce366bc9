"""Bayplan's HTTP service: workshops, jobs, DMS events and plans on a real database."""
