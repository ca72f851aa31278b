"""Texts in every language: translations of the rules, messages, the renderers' own words."""
