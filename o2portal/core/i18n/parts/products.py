"""Products: how long is left before an expiry, in words."""

FR: dict[str, str] = {
    "days.today": "aujourd'hui",
    "days.in_one": "dans 1 jour",
    "days.in": "dans {n} jours",
    "days.ago_one": "expiré depuis 1 jour",
    "days.ago": "expiré depuis {n} jours",
}

EN: dict[str, str] = {
    "days.today": "today",
    "days.in_one": "in 1 day",
    "days.in": "in {n} days",
    "days.ago_one": "expired 1 day ago",
    "days.ago": "expired {n} days ago",
}
