"""A seeded discrete-event simulation of a dealership day that drives the running service over HTTP."""
