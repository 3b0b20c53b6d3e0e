"""Read-side public API of the debt register, one module per concern (items, proposals, board, totals)."""
