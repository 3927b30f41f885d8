"""The independent assessment (domain-rules.md §3, §4.7 E11): by an assessor of an assessment
service given access to the case, after declaring any conflict of interest; instruments scored
through ``comeforward.risk`` (advisory), structured professional judgement, recommendation,
treatment pathway, and an encrypted clinical narrative that police users see only when the
assessor grants narrative access.
"""
