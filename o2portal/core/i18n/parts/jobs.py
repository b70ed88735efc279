"""Messages of the automation: reminders, expiry, the staff's view of failing addresses."""

FR = {
    "admin.failing": "Adresses email en échec",
    "admin.failing_none": "Aucune adresse en échec.",
    "error.stage_invalid": "Une étape s'écrit D-60, D0 ou D+7.",
}

EN = {
    "admin.failing": "Failing email addresses",
    "admin.failing_none": "No failing address.",
    "error.stage_invalid": "A stage is written D-60, D0 or D+7.",
}
