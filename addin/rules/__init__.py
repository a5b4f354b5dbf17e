"""The rules of the agreement: money, terms (and the built-in agreements), the payment calendar,
the engine and the payment schedule. Imports nothing else of the add-in."""
