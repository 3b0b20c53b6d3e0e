"""Write-side public API of the debt register, one module per use-case family (import from the module)."""
