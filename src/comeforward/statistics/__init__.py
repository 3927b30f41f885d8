"""Evaluation statistics for analysts, supervisors and chief officers (issue 14).

Published figures: :func:`comeforward.statistics.selectors.published_figures`.
"""
