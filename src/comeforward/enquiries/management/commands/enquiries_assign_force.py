"""``comeforward enquiries_assign_force CODE``

Gives every anonymous enquiry kept without a force (the deployment's force could not be
decided: ``enquiries/force.py``) to the police force with organisation code CODE, so that its
responders can read them. Prints one JSON line; errors follow docs/interfaces.md (exit 2 with
``{"error": {...}}`` on stdout).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from comeforward.enquiries.force import police_force_by_code
from comeforward.enquiries.services import enquiries_assign_force
from comeforward.errors import DomainError


class Command(BaseCommand):
    help = "Give the enquiries kept without a force to one police force."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the police force's organisation code")

    def handle(self, *args, code: str, **options):
        try:
            force = police_force_by_code(code)
            assigned = enquiries_assign_force(actor=None, organisation=force)
        except DomainError as error:
            self.stdout.write(error.as_json())
            sys.exit(2)
        self.stdout.write(json.dumps({"organisation": force.code, "assigned": len(assigned)}))
