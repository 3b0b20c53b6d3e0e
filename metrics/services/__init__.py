"""Write-side public API of the metrics app, one module per use-case family (repositories, scans, analysis)."""
