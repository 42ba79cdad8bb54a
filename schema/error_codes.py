"""Every top-level error carries `extensions.code`, so a client can branch on the kind of error
without reading messages.

Our own errors name their code where they are raised (`PAGE_SIZE_EXCEEDED`, `INVALID_ID`, …);
the depth and alias rules are given theirs by `coded_rule`; what GraphQL itself reports gets one
in `give_codes`, which the schema's `process_errors` runs on every error of every phase (parse,
validation, execution), by its kind (the codes Apollo Server uses, where it has one):

- a syntax error: `GRAPHQL_PARSE_FAILED`, or `TOKEN_LIMIT_EXCEEDED` for the parser's token limit;
- a validation error: `GRAPHQL_VALIDATION_FAILED` (`coded_validation_rules`);
- a variable whose value does not fit its type (a bad `Decimal`, say): `BAD_USER_INPUT`;
- an unexpected exception (unmasked only in debug): `INTERNAL_SERVER_ERROR`;
- anything else a resolver raised without a code: `BAD_REQUEST`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError, VariableDefinitionNode
from graphql.validation import ASTValidationRule, ValidationContext

from schema.error_masking import is_unexpected


def code_of(error: GraphQLError) -> str:
    """The code for an error raised without one."""
    if isinstance(error, GraphQLSyntaxError):
        # graphql-core tells its token limit apart from other syntax errors only in the message.
        return (
            "TOKEN_LIMIT_EXCEEDED"
            if "tokens. Parsing aborted" in error.message
            else ("GRAPHQL_PARSE_FAILED")
        )
    if is_unexpected(error):
        return "INTERNAL_SERVER_ERROR"
    if any(isinstance(node, VariableDefinitionNode) for node in error.nodes or ()):
        return "BAD_USER_INPUT"
    if error.path is None and error.original_error is None:
        return "GRAPHQL_VALIDATION_FAILED"
    return "BAD_REQUEST"


def give_codes(errors: Iterable[GraphQLError]) -> None:
    for error in errors:
        if not isinstance(error.extensions, dict):
            error.extensions = {}
        error.extensions.setdefault("code", code_of(error))


class _CodedContext:
    """A validation context whose reported errors carry `code`; everything else is the real
    context's (the context is shared by every rule of a validation, so it is not changed)."""

    def __init__(self, context: ValidationContext, code: str) -> None:
        self._context = context
        self._code = code

    def report_error(self, error: GraphQLError) -> None:
        # An error that names its own code (a scalar's refusal of a literal) keeps it.
        error.extensions = {"code": self._code, **(error.extensions or {})}
        self._context.report_error(error)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


_CODED_RULES: dict[tuple[type[ASTValidationRule], str], type[ASTValidationRule]] = {}


def coded_rule(rule: type[ASTValidationRule], code: str) -> type[ASTValidationRule]:
    """`rule`, whose errors carry `extensions.code = code` (one class per rule and code, so
    Strawberry's validation cache, keyed by the rules, keeps hitting)."""
    if (rule, code) not in _CODED_RULES:

        class CodedRule(rule):  # type: ignore[valid-type, misc]
            def __init__(self, context: ValidationContext) -> None:
                super().__init__(_CodedContext(context, code))

        CodedRule.__name__ = rule.__name__
        _CODED_RULES[rule, code] = CodedRule
    return _CODED_RULES[rule, code]


def coded_validation_rules(
    rules: Iterable[type[ASTValidationRule]],
) -> tuple[type[ASTValidationRule], ...]:
    """GraphQL's own rules, told apart from errors met later (a variable's value) by their code;
    rules that already give a code keep it."""
    return tuple(coded_rule(rule, "GRAPHQL_VALIDATION_FAILED") for rule in rules)
