"""The software profile: its model and fields, and reading profiles and portfolios from files."""
