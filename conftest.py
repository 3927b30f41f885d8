"""Repository-wide pytest settings.

Under CI, Hypothesis runs derandomised so the gate is reproducible: a property that fails
fails every time, and a new counterexample is found by developers running it locally.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
