"""Anonymous enquiries: ask a question without giving a name, come forward later.

Mechanisms from SecureDrop, promise from Stop It Now (users-and-security §3).
"""
