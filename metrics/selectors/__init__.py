"""Read-side public API of the metrics app, one module per concern (repositories, hotspots, files, trends)."""
