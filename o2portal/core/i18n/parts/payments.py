"""Messages of the pay buttons: a form sent twice, a page too old, the done state."""

FR = {
    "error.form_stale": "Cette page n'est plus à jour : rechargez-la et vérifiez avant de payer.",
    "error.price_changed": "Le montant a changé depuis l'affichage : vérifiez le nouveau total avant de payer.",
    "pay.paid_button": "Payé",
    "pay.again": "Nouveau renouvellement",
    "admin.paid_row": "Réglé : {invoice}",
    "admin.done_button": "Enregistré",
    "error.vat_not_confirmed": "Votre numéro de TVA intracommunautaire n'a pas été confirmé : corrigez-le dans Ma fiche (ou écrivez au support) avant de commander hors taxes.",
    "error.card_attempts": "Trop de paiements par carte refusés en peu de temps : réessayez dans une heure, ou choisissez un autre moyen de paiement.",
    "error.payment_lost": "Le paiement n'a pas abouti : rien n'a été débité. Vous pouvez réessayer.",
    "error.gateway_down": "Le service de paiement par carte ne répond pas : rien n'a été débité. Réessayez dans quelques minutes.",
    "error.card_not_tokenized": "Votre navigateur n'a pas pu confier la carte au service de paiement : rechargez la page et réessayez.",
    "pay.pending_gateway": "Votre paiement est en cours de vérification auprès de la banque. Le résultat s'affichera ici et vous sera envoyé par email d'ici quelques minutes ; ne payez pas une seconde fois.",
    "pay.credited": "Votre carte a été débitée, mais la commande ne pouvait plus être appliquée : le montant a été versé sur votre crédit de compte.",
}

EN = {
    "error.form_stale": "This page is out of date: reload it and check before paying.",
    "error.price_changed": "The amount changed since it was shown: check the new total before paying.",
    "pay.paid_button": "Paid",
    "pay.again": "Renew again",
    "admin.paid_row": "Paid: {invoice}",
    "admin.done_button": "Saved",
    "error.vat_not_confirmed": "Your EU VAT number was not confirmed: correct it in your details (or write to support) before ordering without VAT.",
    "error.card_attempts": "Too many refused card payments in a short time: try again in an hour, or choose another means of payment.",
    "error.payment_lost": "The payment did not go through: nothing was charged. You can try again.",
    "error.gateway_down": "The card payment service does not answer: nothing was charged. Try again in a few minutes.",
    "error.card_not_tokenized": "Your browser could not hand the card to the payment service: reload the page and try again.",
    "pay.pending_gateway": "Your payment is being checked with the bank. The result will show here and be emailed to you within a few minutes; do not pay a second time.",
    "pay.credited": "Your card was charged, but the order could no longer be applied: the amount was added to your account credit.",
}
