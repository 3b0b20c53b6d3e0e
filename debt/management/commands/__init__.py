"""debt_export, debt_import and debt_refresh."""
