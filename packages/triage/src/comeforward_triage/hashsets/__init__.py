"""Reference hash sets: compile police/NSRL lists into memory-mapped ``.cfhs`` files, look up.

docs/interfaces.md §6 (``comeforward hashset compile|info|lookup``) and §5 (use in ``triage run``);
method from forensic-triage.md §3.2.
"""

from .categories import available_profiles
from .compiler import compile_hashset
from .formats import FORMATS
from .model import ALGORITHMS, CATEGORY_CODES, CATEGORY_LABELS, DIGEST_WIDTHS, Entry
from .reader import HashSet, open_hashset

__all__ = [
    "ALGORITHMS",
    "CATEGORY_CODES",
    "CATEGORY_LABELS",
    "DIGEST_WIDTHS",
    "FORMATS",
    "Entry",
    "HashSet",
    "available_profiles",
    "compile_hashset",
    "open_hashset",
]
