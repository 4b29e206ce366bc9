"""Bayplan solvers: the CP-SAT model and the greedy dispatcher."""
