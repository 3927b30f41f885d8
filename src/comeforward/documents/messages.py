"""The label texts documents show (caution kinds, conditions, offences, decisions, reasons,
policy outcomes, signature methods) as gettext messages, so that a document rendered in Welsh
translates them (issue 20.9, docs/welsh.md). The labels live in their apps' domain modules,
which import no Django; message extraction needs the literal texts, so they are repeated here
and ``tests/documents/test_welsh_documents.py`` fails when a label shown in a document is
missing from this list (so it cannot drift)."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

LABEL_MESSAGES = (
    N_("Simple caution"),
    N_("Conditional caution (CJA 2003 Part 3)"),
    N_("Diversionary caution (PCSC Act 2022 Part 6)"),
    N_("Attend and complete the treatment programme"),
    N_("Surrender devices for examination and destruction or wiping"),
    N_("Not to access indecent images of children or CSAM"),
    N_("Install and keep blocking or monitoring software"),
    N_("Not to reoffend during the period of the caution"),
    N_("Another condition"),
    N_("Making or taking an indecent photograph of a child (PCA 1978 s.1)"),
    N_("Possession of an indecent photograph of a child (CJA 1988 s.160)"),
    N_("Importation of indecent material (CEMA 1979 s.170)"),
    N_("Possession of a prohibited image of a child (CJA 2009 s.62)"),
    N_("Divert: caution with conditions"),
    N_("Refer for prosecution"),
    N_("No further action"),
    N_("Meets the scheme's eligibility criteria"),
    N_("Excluded by an eligibility criterion"),
    N_("The public interest requires prosecution"),
    N_("Evidential stage not met"),
    N_("Exceptional circumstances (explain below)"),
    N_("Another reason (explain below)"),
    N_("Divert (caution and conditions)"),
    N_("Not eligible: refer for prosecution"),
    N_("Insufficient information"),
    N_("Signed on paper: the scanned document's reference"),
    N_("Signed in person on screen (electronic signature)"),
)
