"""The planner: pure Python (no Django, no project code) choosing the debt worth paying under capacity."""
