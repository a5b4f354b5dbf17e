"""Results: the engine's payouts as the `calc` and `schedule` tables, every word its codes
become, and safe writing of result files. May import addin.rules and addin.cases."""
