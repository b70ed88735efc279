"""Messages of the staff settings page (/admin/settings)."""

FR = {
    "settings.intro": "Réglages appliqués à tout le portail. Chaque modification est "
    "enregistrée dans le journal.",
    "settings.schedule_title": "Calendrier des relances d'échéance",
    "settings.schedule_label": "Étapes (séparées par des virgules)",
    "settings.schedule_hint": "D-60 = 60 jours avant l'échéance, D0 = le jour même, D+7 = "
    "7 jours après. Entre D-365 et D+60, 12 étapes au plus.",
    "settings.schedule_saved": "Calendrier des relances enregistré.",
    "settings.schedule_empty": "Indiquez au moins une étape.",
    "settings.schedule_too_many": "12 étapes au plus.",
    "settings.stage_out_of_range": "Une étape doit être entre D-365 et D+60.",
    "settings.stage_duplicate": "Deux étapes tombent le même jour.",
    "settings.seller_title": "Identité du vendeur sur les factures",
    "settings.seller_hint": "S'applique aux factures émises à partir de maintenant ; "
    "une facture déjà émise garde l'identité qu'elle porte.",
    "settings.seller_from_env": "Valeurs actuelles : celles de la configuration du serveur "
    "(variables O2PORTAL_SELLER_*).",
    "settings.seller_name": "Raison sociale",
    "settings.seller_address": "Adresse (une ligne par ligne d'adresse)",
    "settings.seller_siret": "SIRET",
    "settings.seller_vat_number": "N° de TVA intracommunautaire",
    "settings.seller_legal_form": "Forme juridique et capital",
    "settings.seller_rcs": "RCS",
    "settings.seller_saved": "Identité du vendeur enregistrée.",
    "settings.address_lines": "6 lignes d'adresse au plus.",
    "settings.vat_siren_mismatch": "Ce numéro de TVA français ne correspond pas au SIREN du SIRET.",
    "settings.payment_title": "Règlement par virement ou par chèque",
    "settings.payment_hint": "Affiché au client après une commande à régler par virement ou "
    "par chèque, dans l'email du bon de commande et sur son PDF.",
    "settings.payment_holder": "Titulaire du compte",
    "settings.payment_iban": "IBAN",
    "settings.payment_bic": "BIC",
    "settings.payment_bank": "Banque (domiciliation)",
    "settings.payment_cheque_payee": "Chèques à l'ordre de",
    "settings.payment_cheque_address": "Adresse d'envoi des chèques",
    "settings.payment_saved": "Coordonnées de règlement enregistrées.",
    "settings.tickets_title": "Tickets",
    "settings.autoclose_label": "Fermeture automatique d'un ticket en attente du client (jours)",
    "settings.autoclose_hint": "Un ticket en attente du client sans nouvelle depuis ce "
    "nombre de jours est fermé, et le client prévenu.",
    "settings.autoclose_saved": "Délai de fermeture enregistré.",
    "settings.autoclose_range": "Un nombre entier de jours entre 1 et 365.",
    "settings.save": "Enregistrer",
}

EN = {
    "settings.intro": "Settings that apply to the whole portal. Every change is written to "
    "the audit log.",
    "settings.schedule_title": "Expiry reminder schedule",
    "settings.schedule_label": "Stages (separated by commas)",
    "settings.schedule_hint": "D-60 = 60 days before expiry, D0 = the day itself, D+7 = "
    "7 days after. Between D-365 and D+60, at most 12 stages.",
    "settings.schedule_saved": "Reminder schedule saved.",
    "settings.schedule_empty": "Give at least one stage.",
    "settings.schedule_too_many": "At most 12 stages.",
    "settings.stage_out_of_range": "A stage must be between D-365 and D+60.",
    "settings.stage_duplicate": "Two stages fall on the same day.",
    "settings.seller_title": "Seller identity on invoices",
    "settings.seller_hint": "Applies to invoices issued from now on; an invoice already "
    "issued keeps the identity it carries.",
    "settings.seller_from_env": "Current values: the server configuration's "
    "(O2PORTAL_SELLER_* variables).",
    "settings.seller_name": "Company name",
    "settings.seller_address": "Address (one line per address line)",
    "settings.seller_siret": "SIRET",
    "settings.seller_vat_number": "EU VAT number",
    "settings.seller_legal_form": "Legal form and share capital",
    "settings.seller_rcs": "Trade register (RCS)",
    "settings.seller_saved": "Seller identity saved.",
    "settings.address_lines": "At most 6 address lines.",
    "settings.vat_siren_mismatch": "This French VAT number does not match the SIRET's SIREN.",
    "settings.payment_title": "Payment by bank transfer or cheque",
    "settings.payment_hint": "Shown to the customer after an order to pay by transfer or "
    "cheque, in the order form's email and on its PDF.",
    "settings.payment_holder": "Account holder",
    "settings.payment_iban": "IBAN",
    "settings.payment_bic": "BIC",
    "settings.payment_bank": "Bank",
    "settings.payment_cheque_payee": "Cheques payable to",
    "settings.payment_cheque_address": "Address cheques are sent to",
    "settings.payment_saved": "Payment details saved.",
    "settings.tickets_title": "Tickets",
    "settings.autoclose_label": "Auto-close a ticket awaiting the customer after (days)",
    "settings.autoclose_hint": "A ticket awaiting the customer with no news for this many "
    "days is closed, and the customer told.",
    "settings.autoclose_saved": "Auto-close delay saved.",
    "settings.autoclose_range": "A whole number of days between 1 and 365.",
    "settings.save": "Save",
}
