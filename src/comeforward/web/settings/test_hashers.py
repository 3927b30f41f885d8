from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with minimal cost: tests only (production keeps Django's defaults)."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
