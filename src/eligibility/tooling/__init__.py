"""Rule tooling for rule authors: check, test with coverage, diff and document a rule set."""
