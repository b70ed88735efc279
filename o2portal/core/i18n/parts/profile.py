"""Ma fiche: details, email change, security (password, sessions, second factor) and
personal data; the second sign-in step and the email-change link page."""

FR: dict[str, str] = {
    "field.language": "Langue préférée",
    "profile.language.fr": "Français",
    "profile.language.en": "English",
    "profile.tab_details": "Coordonnées",
    "profile.tab_security": "Sécurité",
    "profile.tab_data": "Mes données",
    "profile.details_title": "Mes coordonnées",
    "profile.edit": "Modifier mes coordonnées",
    "profile.save": "Enregistrer",
    "profile.cancel": "Annuler",
    "profile.saved": "Vos coordonnées sont enregistrées.",
    "profile.unchanged": "Rien n'a changé.",
    "profile.hint_phone": "Il sert à vous joindre en cas de problème sur vos services (ex. 06 12 34 56 78).",
    "profile.hint_vat": "Celui de votre pays, ex. FR12345678901 : vérifié avant d'être enregistré.",
    "profile.current_password": "Mot de passe actuel",
    "profile.email_title": "Adresse email",
    "profile.email_verified": "Confirmée",
    "profile.email_unverified": "Non confirmée",
    "profile.email_failing": "Nos emails n'arrivent plus",
    "profile.email_failing_text": "Nos messages à cette adresse sont refusés depuis le",
    "profile.send_check_link": "Recevoir un lien de confirmation",
    "profile.email_pending": "Nouvelle adresse en attente de confirmation :",
    "profile.email_pending_until": (
        "Ouvrez le lien envoyé à cette adresse. Votre adresse actuelle reste en vigueur "
        "d'ici là. Lien valable jusqu'au"
    ),
    "profile.email_resend": "Renvoyer le lien",
    "profile.email_cancel_change": "Annuler le changement",
    "profile.email_change_cancelled": "Le changement d'adresse est annulé.",
    "profile.email_link_sent": (
        "Un lien de confirmation vient d'être envoyé à {email}. Votre adresse actuelle reste "
        "en vigueur tant qu'il n'est pas ouvert ; elle a été prévenue de la demande."
    ),
    "profile.email_change_text": (
        "Pour changer d'adresse, indiquez la nouvelle : nous y enverrons un lien à ouvrir. "
        "C'est l'adresse qui reçoit les relances d'expiration et qui sert à récupérer votre "
        "mot de passe."
    ),
    "profile.new_email": "Nouvelle adresse email",
    "profile.email_change_submit": "Changer d'adresse",
    "profile.password_title": "Mot de passe",
    "profile.password_sessions_hint": "Vos autres sessions ouvertes seront fermées.",
    "profile.password_submit": "Changer le mot de passe",
    "profile.password_changed": (
        "Votre mot de passe est changé. Les autres sessions ont été fermées ; celle-ci reste "
        "ouverte."
    ),
    "profile.totp_title": "Double authentification",
    "profile.totp_text": (
        "En plus du mot de passe, un code à 6 chiffres d'une application (Google "
        "Authenticator, FreeOTP, 1Password…) est demandé à chaque connexion."
    ),
    "profile.totp_status_on": "Activée",
    "profile.totp_status_off": "Désactivée",
    "profile.since": "depuis le",
    "profile.totp_start": "Activer la double authentification",
    "profile.totp_scan": "1. Scannez ce QR code avec votre application d'authentification.",
    "profile.totp_qr_alt": "QR code à scanner avec l'application d'authentification",
    "profile.totp_manual": "Ou saisissez cette clé dans l'application :",
    "profile.totp_code": "2. Code à 6 chiffres affiché par l'application",
    "profile.totp_confirm": "Activer",
    "profile.totp_on": "La double authentification est activée.",
    "profile.totp_off": "La double authentification est désactivée.",
    "profile.totp_disable": "Désactiver la double authentification",
    "profile.totp_disable_text": "Votre mot de passe suffira de nouveau pour vous connecter.",
    "profile.totp_staff_keeps": (
        "Un compte du personnel garde sa double authentification : l'espace du personnel "
        "en dépend. Si vous perdez votre téléphone et vos codes de secours, un "
        "administrateur la réinitialise."
    ),
    "profile.totp_staff_needed": (
        "Votre compte du personnel doit activer la double authentification : l'espace du "
        "personnel s'ouvre une fois qu'elle est activée."
    ),
    "error.totp_staff_keeps": (
        "Un compte du personnel ne peut pas désactiver sa double authentification."
    ),
    "banner.staff_second_factor": (
        "L'espace du personnel vous est fermé tant que la double authentification de votre "
        "compte n'est pas activée."
    ),
    "banner.staff_second_factor_link": "L'activer dans Ma fiche",
    "profile.codes_title": "Vos codes de secours : notez-les maintenant",
    "profile.codes_text": (
        "Chacun permet une connexion si vous n'avez plus votre téléphone, une seule fois. "
        "Ils ne seront plus jamais affichés : imprimez-les ou rangez-les dans un gestionnaire "
        "de mots de passe."
    ),
    "profile.codes_saved": "J'ai noté mes codes",
    "profile.codes_left": "Codes de secours encore utilisables :",
    "profile.codes_new": "Générer de nouveaux codes de secours",
    "profile.codes_new_text": "Les anciens codes cesseront de fonctionner.",
    "profile.sessions_title": "Sessions ouvertes",
    "profile.this_session": "Cette session",
    "profile.staff_session": "Support o2portal",
    "profile.session_ip": "Adresse IP",
    "profile.session_last_seen": "dernière activité",
    "profile.session_started": "Ouverte le",
    "profile.end_session": "Déconnecter",
    "profile.end_others": "Déconnecter toutes les autres sessions",
    "profile.session_ended": "Cette session est fermée.",
    "profile.nothing_ended": "Aucune session fermée.",
    "profile.other_sessions_ended": "Sessions fermées : {count}.",
    "profile.sign_ins_title": "Connexions récentes",
    "profile.sign_ins_none": "Aucune connexion enregistrée.",
    "profile.col_when": "Date",
    "profile.col_step": "Étape",
    "profile.col_result": "Résultat",
    "profile.col_device": "Appareil",
    "profile.sign_in_step.password": "Mot de passe",
    "profile.sign_in_step.code": "Code de double authentification",
    "profile.sign_in_ok": "Acceptée",
    "profile.sign_in_refused": "Refusée",
    "profile.export_title": "Télécharger mes données",
    "profile.export_text": (
        "Un fichier JSON avec tout ce qu'o2portal conserve sur vous : coordonnées, services, "
        "commandes, factures, paiements, tickets, emails envoyés, connexions et historique "
        "de votre compte (RGPD, droit d'accès et de portabilité)."
    ),
    "profile.export_button": "Télécharger (JSON)",
    "profile.export_not_acting": "L'export des données personnelles est réservé au client lui-même : il n'est pas proposé au support qui agit pour lui.",
    "profile.delete_title": "Supprimer mon compte",
    "profile.delete_text": (
        "Vos données personnelles seront effacées et vous ne pourrez plus vous connecter. "
        "Vos factures sont conservées 10 ans, comme la loi l'impose, sans autre usage. "
        "Possible seulement quand aucun service n'est actif et que tout est réglé. "
        "Cette action est définitive."
    ),
    "profile.delete_blocked": "Votre compte ne peut pas être supprimé pour le moment :",
    "profile.delete_confirm": (
        "Je comprends que la suppression est définitive et que mes données seront effacées."
    ),
    "profile.delete_submit": "Supprimer définitivement",
    "profile.login_code_title": "Double authentification",
    "profile.login_code_text": (
        "Saisissez le code à 6 chiffres affiché par votre application d'authentification."
    ),
    "profile.login_code": "Code de vérification",
    "profile.login_code_hint": "Téléphone perdu ? Saisissez l'un de vos codes de secours.",
    "profile.login_code_submit": "Vérifier",
    "profile.login_code_cancel": "Annuler et revenir à la connexion",
    "profile.confirm_title": "Nouvelle adresse email",
    "profile.confirm_ok": (
        "C'est fait : cette adresse est désormais celle de votre compte. Connectez-vous avec "
        "elle à l'avenir."
    ),
    "profile.confirm_taken": (
        "Cette adresse est déjà celle d'un autre compte : votre adresse n'a pas changé."
    ),
    "profile.confirm_bad": (
        "Ce lien n'est pas valable : déjà utilisé, expiré ou remplacé par un plus récent."
    ),
    "login.account_deleted": "Votre compte est supprimé. Merci d'avoir été client.",
    "error.vat_country": "Indiquez le numéro de TVA du pays de votre adresse.",
    "error.current_password_wrong": "Mot de passe incorrect.",
    "error.reauth_throttled": ("Trop d'essais de mot de passe : réessayez dans un quart d'heure."),
    "error.password_same": "Le nouveau mot de passe doit être différent de l'actuel.",
    "error.email_same": "C'est déjà l'adresse de votre compte.",
    "error.email_change_throttled": (
        "Trop de changements d'adresse demandés : réessayez dans une heure."
    ),
    "error.email_change_wait": "Un lien vient de partir : patientez une minute avant d'en demander un autre.",
    "error.email_change_none": "Aucun changement d'adresse en attente.",
    "error.totp_code_format": "Le code compte 6 chiffres.",
    "error.totp_code_wrong": (
        "Ce code n'est pas le bon : vérifiez que l'heure de votre téléphone est exacte et "
        "saisissez le code affiché maintenant."
    ),
    "error.totp_already_on": "La double authentification est déjà activée.",
    "error.totp_no_setup": "Recommencez l'activation : scannez d'abord le QR code.",
    "error.totp_not_on": "La double authentification n'est pas activée.",
    "error.second_factor_wrong": "Code incorrect ou déjà utilisé.",
    "error.second_factor_throttled": (
        "Trop de codes incorrects. Réessayez dans {minutes} minutes."
    ),
    "error.second_factor_expired": "Cette connexion a expiré : reconnectez-vous.",
    "error.delete_live_products": (
        "{products} service(s) encore actif(s) : attendez leur expiration ou demandez leur "
        "résiliation au support."
    ),
    "error.delete_unpaid_orders": "{orders} bon(s) de commande à régler ou à annuler.",
    "error.delete_credit_left": (
        "Il vous reste {credit} de crédit : demandez-en le remboursement au support."
    ),
    "error.delete_confirm_required": "Cochez cette case pour confirmer.",
}

EN: dict[str, str] = {
    "field.language": "Preferred language",
    "profile.language.fr": "Français",
    "profile.language.en": "English",
    "profile.tab_details": "Details",
    "profile.tab_security": "Security",
    "profile.tab_data": "My data",
    "profile.details_title": "My details",
    "profile.edit": "Edit my details",
    "profile.save": "Save",
    "profile.cancel": "Cancel",
    "profile.saved": "Your details are saved.",
    "profile.unchanged": "Nothing changed.",
    "profile.hint_phone": "Used to reach you about a problem with your services (e.g. 06 12 34 56 78).",
    "profile.hint_vat": "Your own country's, e.g. FR12345678901: checked before it is saved.",
    "profile.current_password": "Current password",
    "profile.email_title": "Email address",
    "profile.email_verified": "Confirmed",
    "profile.email_unverified": "Not confirmed",
    "profile.email_failing": "Our emails no longer arrive",
    "profile.email_failing_text": "Our messages to this address have been refused since",
    "profile.send_check_link": "Get a confirmation link",
    "profile.email_pending": "New address waiting for confirmation:",
    "profile.email_pending_until": (
        "Open the link sent to that address. Your current address stays in force until "
        "then. Link valid until"
    ),
    "profile.email_resend": "Send the link again",
    "profile.email_cancel_change": "Cancel the change",
    "profile.email_change_cancelled": "The change of address is cancelled.",
    "profile.email_link_sent": (
        "A confirmation link was just sent to {email}. Your current address stays in force "
        "until it is opened; it was told of the request."
    ),
    "profile.email_change_text": (
        "To change your address, enter the new one: we will send a link to open there. This "
        "address receives the expiry reminders and lets you recover your password."
    ),
    "profile.new_email": "New email address",
    "profile.email_change_submit": "Change address",
    "profile.password_title": "Password",
    "profile.password_sessions_hint": "Your other open sessions will be closed.",
    "profile.password_submit": "Change password",
    "profile.password_changed": (
        "Your password is changed. The other sessions were closed; this one stays open."
    ),
    "profile.totp_title": "Two-factor authentication",
    "profile.totp_text": (
        "Besides the password, a 6-digit code from an app (Google Authenticator, FreeOTP, "
        "1Password…) is asked at every sign-in."
    ),
    "profile.totp_status_on": "On",
    "profile.totp_status_off": "Off",
    "profile.since": "since",
    "profile.totp_start": "Turn on two-factor authentication",
    "profile.totp_scan": "1. Scan this QR code with your authenticator app.",
    "profile.totp_qr_alt": "QR code to scan with the authenticator app",
    "profile.totp_manual": "Or type this key into the app:",
    "profile.totp_code": "2. 6-digit code shown by the app",
    "profile.totp_confirm": "Turn on",
    "profile.totp_on": "Two-factor authentication is on.",
    "profile.totp_off": "Two-factor authentication is off.",
    "profile.totp_disable": "Turn off two-factor authentication",
    "profile.totp_disable_text": "Your password alone will let you sign in again.",
    "profile.totp_staff_keeps": (
        "A staff account keeps its second factor: the staff area needs it. If you lose your "
        "phone and your recovery codes, an admin resets it."
    ),
    "profile.totp_staff_needed": (
        "Your staff account must turn on the second factor: the staff area opens once it is on."
    ),
    "error.totp_staff_keeps": "A staff account cannot turn its second factor off.",
    "banner.staff_second_factor": (
        "The staff area stays closed to you until your account's second factor is on."
    ),
    "banner.staff_second_factor_link": "Turn it on in My details",
    "profile.codes_title": "Your recovery codes: write them down now",
    "profile.codes_text": (
        "Each one lets you sign in once if you no longer have your phone. They will never be "
        "shown again: print them or keep them in a password manager."
    ),
    "profile.codes_saved": "I have saved my codes",
    "profile.codes_left": "Recovery codes still usable:",
    "profile.codes_new": "Make new recovery codes",
    "profile.codes_new_text": "The old codes will stop working.",
    "profile.sessions_title": "Open sessions",
    "profile.this_session": "This session",
    "profile.staff_session": "o2portal support",
    "profile.session_ip": "IP address",
    "profile.session_last_seen": "last active",
    "profile.session_started": "Opened",
    "profile.end_session": "Sign out",
    "profile.end_others": "Sign out every other session",
    "profile.session_ended": "That session is closed.",
    "profile.nothing_ended": "No session was closed.",
    "profile.other_sessions_ended": "Sessions closed: {count}.",
    "profile.sign_ins_title": "Recent sign-ins",
    "profile.sign_ins_none": "No sign-in recorded.",
    "profile.col_when": "Date",
    "profile.col_step": "Step",
    "profile.col_result": "Result",
    "profile.col_device": "Device",
    "profile.sign_in_step.password": "Password",
    "profile.sign_in_step.code": "Two-factor code",
    "profile.sign_in_ok": "Accepted",
    "profile.sign_in_refused": "Refused",
    "profile.export_title": "Download my data",
    "profile.export_text": (
        "A JSON file with everything o2portal keeps about you: details, services, orders, "
        "invoices, payments, tickets, emails sent, sign-ins and your account's history "
        "(GDPR right of access and portability)."
    ),
    "profile.export_button": "Download (JSON)",
    "profile.export_not_acting": "The personal-data export is for the customer themselves: it is not offered to staff acting for them.",
    "profile.delete_title": "Delete my account",
    "profile.delete_text": (
        "Your personal data will be erased and you will no longer be able to sign in. Your "
        "invoices are kept for 10 years, as the law requires, for no other use. Only "
        "possible when no service is active and everything is paid. This cannot be undone."
    ),
    "profile.delete_blocked": "Your account cannot be deleted for now:",
    "profile.delete_confirm": "I understand that deletion is final and my data will be erased.",
    "profile.delete_submit": "Delete for good",
    "profile.login_code_title": "Two-factor authentication",
    "profile.login_code_text": "Enter the 6-digit code shown by your authenticator app.",
    "profile.login_code": "Verification code",
    "profile.login_code_hint": "Lost your phone? Enter one of your recovery codes.",
    "profile.login_code_submit": "Verify",
    "profile.login_code_cancel": "Cancel and go back to sign-in",
    "profile.confirm_title": "New email address",
    "profile.confirm_ok": (
        "Done: this address is now your account's. Use it to sign in from now on."
    ),
    "profile.confirm_taken": (
        "This address already belongs to another account: your address did not change."
    ),
    "profile.confirm_bad": "This link is not valid: already used, expired or replaced by a newer one.",
    "login.account_deleted": "Your account is deleted. Thank you for having been a customer.",
    "error.vat_country": "Give the VAT number of your address's country.",
    "error.current_password_wrong": "Wrong password.",
    "error.reauth_throttled": "Too many password attempts: try again in a quarter of an hour.",
    "error.password_same": "The new password must differ from the current one.",
    "error.email_same": "This is already your account's address.",
    "error.email_change_throttled": "Too many address changes asked for: try again in an hour.",
    "error.email_change_wait": "A link was just sent: wait a minute before asking for another.",
    "error.email_change_none": "No change of address is pending.",
    "error.totp_code_format": "The code has 6 digits.",
    "error.totp_code_wrong": (
        "This code is not right: check that your phone's clock is correct and enter the code "
        "shown now."
    ),
    "error.totp_already_on": "Two-factor authentication is already on.",
    "error.totp_no_setup": "Start again: scan the QR code first.",
    "error.totp_not_on": "Two-factor authentication is not on.",
    "error.second_factor_wrong": "Wrong or already used code.",
    "error.second_factor_throttled": "Too many wrong codes. Try again in {minutes} minutes.",
    "error.second_factor_expired": "This sign-in has expired: please sign in again.",
    "error.delete_live_products": (
        "{products} service(s) still active: wait for them to expire or ask support to "
        "terminate them."
    ),
    "error.delete_unpaid_orders": "{orders} order form(s) to pay or cancel.",
    "error.delete_credit_left": "You have {credit} of credit left: ask support for a refund.",
    "error.delete_confirm_required": "Tick this box to confirm.",
}
