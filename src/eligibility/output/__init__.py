"""Writing output: a failed write named as an error, a file written whole or not at all,
CSV cells a spreadsheet cannot run."""
