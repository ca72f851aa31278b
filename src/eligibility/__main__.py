"""``python -m eligibility`` runs the command line."""

from eligibility.cli import main

main()
