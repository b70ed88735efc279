"""The outside world behind interfaces: registrar, hosting panel, payment gateway."""
