"""What every subject stands on: database, settings, clock, errors, money and dates, audit,
idempotency keys, i18n."""
