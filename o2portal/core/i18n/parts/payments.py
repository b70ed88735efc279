"""Messages of the pay buttons: a form sent twice, a page too old, the done state."""

FR = {
    "error.form_stale": "Cette page n'est plus à jour : rechargez-la et vérifiez avant de payer.",
    "error.price_changed": "Le montant a changé depuis l'affichage : vérifiez le nouveau total avant de payer.",
    "pay.paid_button": "Payé",
    "pay.again": "Nouveau renouvellement",
    "admin.paid_row": "Réglé : {invoice}",
    "admin.done_button": "Enregistré",
}

EN = {
    "error.form_stale": "This page is out of date: reload it and check before paying.",
    "error.price_changed": "The amount changed since it was shown: check the new total before paying.",
    "pay.paid_button": "Paid",
    "pay.again": "Renew again",
    "admin.paid_row": "Paid: {invoice}",
    "admin.done_button": "Saved",
}
