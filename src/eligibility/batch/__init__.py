"""The batch: evaluate a portfolio of products row by row, in one process or several."""
