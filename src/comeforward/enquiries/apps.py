from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "comeforward.enquiries"
    label = "enquiries"
    verbose_name = "Anonymous enquiries"
