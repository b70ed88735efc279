"""Messages of an SSL certificate's life after its order: the periodic check of its
records, the renewal window, its revocation, staff terminating a product by hand, and the
certificate part of the staff's product page."""

FR = {
    "mailkind.certificate_issued": "Certificat SSL émis",
    "mailkind.certificate_checks_stopped": "Certificat SSL : vérification du DNS arrêtée",
    "mailkind.staff_terminated_hosting": "Hébergement résilié par l'équipe",
    "mailkind.staff_terminated_domain": "Nom de domaine résilié par l'équipe",
    "mailkind.staff_terminated_server": "Serveur résilié par l'équipe",
    "mailkind.staff_terminated_certificate": "Certificat SSL résilié par l'équipe",
    "tasks.action_revoke_certificate": "Révocation du certificat SSL",
    "renew.too_early": (
        "Un certificat SSL se renouvelle au plus tôt {days} jours avant son expiration : "
        "le nouveau certificat est émis le jour du renouvellement, et une autorité de "
        "certification ne signe pas pour plus de {max} jours. Celui-ci est renouvelable à "
        "partir du {date}."
    ),
    # the customer's page
    "ssl.checks_auto": (
        "Nous cherchons aussi cet enregistrement automatiquement (toutes les 15 minutes le "
        "premier jour, puis toutes les heures, pendant 30 jours) : le certificat est émis "
        "dès qu'il est visible, et nous vous prévenons par email."
    ),
    "ssl.checks_stopped": (
        "Enregistrement introuvable pendant 30 jours : la vérification automatique s'est "
        "arrêtée le {date}. Créez-le, puis cliquez sur « Vérifier »."
    ),
    "ssl.ended": (
        "Ce certificat est résilié : il est révoqué auprès de l'autorité de certification "
        "et n'est plus proposé au téléchargement. Retirez-le de votre serveur."
    ),
    "ssl.ended_unissued": "Ce certificat est résilié avant d'avoir été émis.",
    # the staff's product page
    "admin.ssl_title": "Certificat SSL",
    "admin.ssl_type": "Type",
    "admin.ssl_type_dv": "DV",
    "admin.ssl_type_wildcard": "DV wildcard",
    "admin.ssl_type_ov": "OV",
    "admin.ssl_state": "État",
    "admin.ssl_state_pending": "En attente de la validation du domaine",
    "admin.ssl_state_issued": "Émis",
    "admin.ssl_state_revoking": "Révocation demandée à l'autorité",
    "admin.ssl_state_revoked": "Révoqué",
    "admin.ssl_state_ended": "Résilié avant son émission",
    "admin.ssl_dcv": "Contrôle du domaine",
    "admin.ssl_dcv_automatic": "Domaine géré ici : le portail publie les enregistrements",
    "admin.ssl_dcv_manual": "Domaine géré ailleurs : le client crée les enregistrements",
    "admin.ssl_records": "Enregistrements DNS TXT attendus",
    "admin.ssl_next_check": "Prochaine vérification automatique",
    "admin.ssl_checks_stopped": "Vérification automatique arrêtée le",
    "admin.ssl_issuer": "Émetteur",
    "admin.ssl_not_before": "Valable à partir du",
    "admin.ssl_not_after": "Valable jusqu'au",
    "admin.ssl_revoked": "Révoqué",
    "admin.ssl_revoked_at": "Révoqué le {date}",
    "admin.ssl_key": "Clé privée",
    "admin.ssl_key_waiting": "Créée par le portail, pas encore téléchargée par le client",
    "admin.ssl_key_taken": "Téléchargée par le client le {date}, puis effacée",
    "admin.ssl_key_customer": "Fournie par le client (CSR)",
    "admin.ssl_files": "Fichiers (jamais la clé privée)",
    "admin.ssl_check_now": "Vérifier maintenant",
    "admin.ssl_check_hint": (
        "Demande à l'autorité de chercher les enregistrements tout de suite (enregistré "
        "au journal)."
    ),
    "admin.ssl_renew_opens": "Renouvelable à partir du {date} (au plus tôt {days} jours avant l'expiration).",
}

EN = {
    "mailkind.certificate_issued": "SSL certificate issued",
    "mailkind.certificate_checks_stopped": "SSL certificate: DNS check stopped",
    "mailkind.staff_terminated_hosting": "Hosting terminated by the team",
    "mailkind.staff_terminated_domain": "Domain name terminated by the team",
    "mailkind.staff_terminated_server": "Server terminated by the team",
    "mailkind.staff_terminated_certificate": "SSL certificate terminated by the team",
    "tasks.action_revoke_certificate": "SSL certificate revocation",
    "renew.too_early": (
        "An SSL certificate renews at the earliest {days} days before its expiry: the new "
        "certificate is issued on the day of the renewal, and a certificate authority "
        "signs for no more than {max} days. This one can be renewed from {date}."
    ),
    "ssl.checks_auto": (
        "We also look for this record automatically (every 15 minutes on the first day, "
        "then every hour, for 30 days): the certificate is issued as soon as it can be "
        "seen, and we tell you by email."
    ),
    "ssl.checks_stopped": (
        "Record not found for 30 days: the automatic check stopped on {date}. Create it, "
        "then click \u201cVerify\u201d."
    ),
    "ssl.ended": (
        "This certificate is terminated: it is revoked at the certificate authority and no "
        "longer offered for download. Remove it from your server."
    ),
    "ssl.ended_unissued": "This certificate was terminated before it was issued.",
    "admin.ssl_title": "SSL certificate",
    "admin.ssl_type": "Type",
    "admin.ssl_type_dv": "DV",
    "admin.ssl_type_wildcard": "DV wildcard",
    "admin.ssl_type_ov": "OV",
    "admin.ssl_state": "State",
    "admin.ssl_state_pending": "Waiting for domain validation",
    "admin.ssl_state_issued": "Issued",
    "admin.ssl_state_revoking": "Revocation asked of the authority",
    "admin.ssl_state_revoked": "Revoked",
    "admin.ssl_state_ended": "Terminated before it was issued",
    "admin.ssl_dcv": "Domain control",
    "admin.ssl_dcv_automatic": "Domain managed here: the portal publishes the records",
    "admin.ssl_dcv_manual": "Domain managed elsewhere: the customer creates the records",
    "admin.ssl_records": "DNS TXT records expected",
    "admin.ssl_next_check": "Next automatic check",
    "admin.ssl_checks_stopped": "Automatic check stopped on",
    "admin.ssl_issuer": "Issuer",
    "admin.ssl_not_before": "Valid from",
    "admin.ssl_not_after": "Valid until",
    "admin.ssl_revoked": "Revoked",
    "admin.ssl_revoked_at": "Revoked on {date}",
    "admin.ssl_key": "Private key",
    "admin.ssl_key_waiting": "Made by the portal, not downloaded by the customer yet",
    "admin.ssl_key_taken": "Downloaded by the customer on {date}, then erased",
    "admin.ssl_key_customer": "The customer's own (CSR)",
    "admin.ssl_files": "Files (never the private key)",
    "admin.ssl_check_now": "Check now",
    "admin.ssl_check_hint": (
        "Asks the authority to look for the records right away (written to the audit log)."
    ),
    "admin.ssl_renew_opens": "Renewable from {date} (at the earliest {days} days before expiry).",
}
