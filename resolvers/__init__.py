"""What each query and mutation does, one module per domain: parse input, load, call the
domain rule, write. Refusals are raised as `domain.errors.DomainError`."""
