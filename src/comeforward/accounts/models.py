"""Users (email sign-in), organisations and roles. Thin: rules live in services/selectors."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django_otp.models import Device

from comeforward.roles import OrganisationType, Role


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationType.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team within one organisation (e.g. "Online CSAM team, North"), for management
    information only: workload per team (docs/statistics.md §14.2). A team grants no access —
    need-to-know stays the case team and the force (docs/need-to-know.md)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="accounts_team_unique")
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An individual member of staff. No shared or default accounts (ASVS 6.2)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=32, choices=Role.choices)
    #: The user's team in their own organisation (``accounts.team_services``); optional.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def is_staff(self) -> bool:  # no Django admin: nobody is "staff" in Django's sense
        return False

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class UserSession(models.Model):
    """Which sessions belong to which user, so that deactivation signs out everywhere."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)


class WebAuthnDevice(Device):
    """A FIDO2/WebAuthn security key registered as a second factor (WebAuthn Level 3 §4).

    A django-otp ``Device``, so that ``django_otp.login(request, device)`` marks the session
    verified like the TOTP device does. Only public data is stored: the credential ID, the
    COSE public key and the signature counter (clone detection, WebAuthn §6.1.1). The name is
    the user's own label for the key, e.g. "Blue key on my lanyard".
    """

    #: base64url credential ID (≤1023 bytes raw, WebAuthn §5.1 — so ≤1364 characters).
    credential_id = models.CharField(max_length=1400, unique=True)
    #: COSE_Key-encoded public key, as the authenticator returned it (WebAuthn §6.5.1.1).
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    #: Transport hints the browser reported ("usb", "nfc", "ble", "internal", "hybrid").
    transports = models.JSONField(default=list, blank=True)
    aaguid = models.CharField(max_length=36, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "WebAuthn security key"
