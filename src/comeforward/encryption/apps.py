from django.apps import AppConfig


class EncryptionConfig(AppConfig):
    name = "comeforward.encryption"
    label = "encryption"
    verbose_name = "Field encryption of special-category text"
