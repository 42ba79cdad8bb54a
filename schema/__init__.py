"""The GraphQL surface: types, inputs, enums, errors and the Schema. Behaviour lives in
`resolvers/` (what a field does) and `domain/` (the rules)."""
