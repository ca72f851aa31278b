"""``python -m eligibility`` runs the command line."""

from eligibility.cli import main

if __name__ == "__main__":  # not when a spawned pool process imports the main module
    main()
