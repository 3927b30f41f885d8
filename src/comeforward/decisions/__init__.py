"""Eligibility recommendation, the supervisor's decision (with second-supervisor approval),
the caution and its conditions, the Home Office outcome code, and the prosecution referral.

Research: domain-rules.md §2.1 (outcome codes), §2.2/§2.3 (simple and conditional cautions),
§2.6 (disposal → consequences), §4.7 (eligibility E1–E13), §4.8 (conditions and breach).
"""
