from django.core.management.base import BaseCommand, CommandError

from comeforward.demo.data import demo_code


class Command(BaseCommand):
    help = "Print the current MFA security code of a demo user (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="a demo user's email address")

    def handle(self, *args, email: str, **options):
        try:
            self.stdout.write(demo_code(email.strip().lower()))
        except PermissionError as error:
            raise CommandError(str(error))
