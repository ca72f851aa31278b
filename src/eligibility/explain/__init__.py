"""Explain an outcome condition by condition, and the smallest changes that would change it."""
