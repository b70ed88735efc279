"""Products: how long is left before an expiry, in words."""

FR: dict[str, str] = {
    "days.today": "aujourd'hui",
    "days.in_one": "dans 1 jour",
    "days.in": "dans {n} jours",
    "days.ago_one": "expiré depuis 1 jour",
    "days.ago": "expiré depuis {n} jours",
    "product.auto_renew_no_card": (
        "Aucune carte n'est enregistrée : le bon de commande vous sera envoyé par email 15 "
        "jours avant l'échéance, à régler vous-même si votre crédit de compte ne le couvre "
        "pas (les rappels d'expiration continuent). Pour qu'il soit réglé automatiquement, "
        "cochez « Enregistrer cette carte pour le renouvellement automatique » lors de votre "
        "prochain paiement par carte, par exemple en renouvelant ci-dessous."
    ),
}

EN: dict[str, str] = {
    "days.today": "today",
    "days.in_one": "in 1 day",
    "days.in": "in {n} days",
    "days.ago_one": "expired 1 day ago",
    "days.ago": "expired {n} days ago",
    "product.auto_renew_no_card": (
        "No card is saved: the order form will be emailed to you 15 days before expiry, for "
        "you to pay unless your account credit covers it (the expiry reminders go on). To "
        "have it paid automatically, tick “Save this card for auto-renewal” on your next "
        "card payment, for instance by renewing below."
    ),
}
