"""The plan: one ordered to-do list across every journey that applies to a product."""
