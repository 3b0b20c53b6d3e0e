"""Teams, refactorathons, debt budgets and the planner."""
