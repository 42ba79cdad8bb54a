"""Demo data, created through the same functions the API uses."""
