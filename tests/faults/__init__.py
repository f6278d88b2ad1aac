"""Shared helpers for the fault, crash and safety tests (not collected as tests)."""
