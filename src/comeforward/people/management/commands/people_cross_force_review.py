"""``comeforward people_cross_force_review``

Read-only review for issue 11.1: before the intake need-to-know fix an intake officer could
attach a new case to another force's person, so one person record can carry cases of two
forces (and the first force's addresses and phones). Lists, as one JSON document on stdout,
every such person: record ids, the organisation codes and case counts per force, the case
ids, which force holds the contact details (``people.selectors.person_contact_holder``) and
how many addresses and contact details are recorded — no name, date of birth, address or
phone. It changes nothing and writes no audit record (it reads no case content). What to do
with each record is for the forces to agree through a cross-force check
(docs/need-to-know.md).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from comeforward.people.selectors import people_cross_force


class Command(BaseCommand):
    help = "List person records linked to cases of more than one force (JSON; read-only)."

    def handle(self, *args, **options):
        people = people_cross_force()
        self.stdout.write(json.dumps({"count": len(people), "people": people}, sort_keys=True))
