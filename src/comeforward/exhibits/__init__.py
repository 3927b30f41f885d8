"""Exhibits, chain of custody and forensic examination results (forensic-triage §5)."""
