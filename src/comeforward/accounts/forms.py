from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address", error_messages={"required": "Enter your email address"}
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


class TotpCodeForm(forms.Form):
    code = forms.RegexField(
        label="Security code",
        regex=r"^\s*\d{6}\s*$",
        help_text="The 6-digit code from your authenticator app",
        error_messages={
            "required": "Enter the 6-digit security code",
            "invalid": "Enter the 6-digit security code, like 123456",
        },
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Why is this account being deactivated?",
        max_length=500,
        error_messages={"required": "Enter why this account is being deactivated"},
    )
