"""Errors from the eligibility policy package, each with a stable code (docs/interfaces.md)."""

from __future__ import annotations

from comeforward.errors import DomainError


class PolicyNotFound(DomainError):
    code = "POLICY_NOT_FOUND"


class PolicyInvalid(DomainError):
    code = "POLICY_INVALID"


class UnknownPolicyFact(DomainError):
    code = "UNKNOWN_POLICY_FACT"


class WrongPolicyFactType(DomainError):
    code = "WRONG_TYPE"


class NegativePolicyFactValue(DomainError):
    code = "NEGATIVE_VALUE"


class InvalidPolicyFactValue(DomainError):
    code = "INVALID_VALUE"


class UnknownPolicyOffence(DomainError):
    code = "UNKNOWN_OFFENCE"
