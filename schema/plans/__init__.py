"""The planned read path: a query document turned once into a plan over rows.

graphql-core resolves every field of every object one by one (an `Info`, a resolver call, a
completion step each), and the generic path reads ORM objects; for a page of accounts that is
most of the request's CPU. A query whose every field is covered here is instead

1. **planned** once per document (`plan.plan_for`): the fields each object selects, collected
   as graphql-core collects them (fragments, aliases, `@skip`/`@include`), with for each field
   how to get it: a column of the row, the global ID, or a relation read in bulk;
2. **executed** (`run.run_plan`) one statement per relation and level, selecting only the
   columns the plan needs (SQLAlchemy Core rows, not ORM objects), building the response's
   dicts directly.

Anything the planner does not cover (a field with its own resolver, an interface, a mutation)
makes `plan_for` answer None, and anything unusual while running (an error to report, a null
where the schema promises a value) raises `Unplanned`: either way the generic Strawberry path
runs the operation, so errors, masking and every rule keep their one implementation there.
`tests/test_planned_reads.py` proves the two paths give byte-identical JSON.
"""
