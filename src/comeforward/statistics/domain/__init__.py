"""Pure rules of the scheme's evaluation statistics (issue 14): no Django, no database.

``suppression`` (disclosure control), ``timing`` (working-day durations, median and 90th
percentile), ``funnel`` (stages, conversion, reasons for leaving), ``followup`` (1/2/5-year
windows), ``equality`` (age bands), ``costs`` (the unit-cost model) and ``charts`` (accessible
SVG). Sources: ../shared/research/domain-rules.md §4, users-and-security.md; docs/statistics.md.
"""
