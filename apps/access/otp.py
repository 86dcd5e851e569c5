"""Small helpers around django-otp's TOTP devices."""

import base64

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it when typed by hand (RFC 4648 base32)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now (demo tools and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
