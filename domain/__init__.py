"""Pure business rules: no I/O, no GraphQL. Each function names the seed rule it implements."""
