"""Pure rules of the leads app (no Django): file schemas, grading, fraud indicators, the
lead workflow with its corroboration gate, and prioritisation. Sources:
../shared/research/users-and-security.md §2.4 (the 13 data-quality checks) and
../shared/research/domain-rules.md §3.6 (KIRAT). docs/leads.md describes them."""
