"""Messages of SSL certificates as products: the order tab, the product page, the tasks."""

FR = {
    "kind.ssl": "Certificat SSL",
    "order.tab_ssl": "Certificat SSL",
    "ssl.domain": "Nom à protéger",
    "ssl.domain_hint": (
        "Le nom du site (www.mon-site.fr) ; pour un wildcard, le domaine (mon-site.fr) : "
        "le certificat protège alors *.mon-site.fr et mon-site.fr."
    ),
    "ssl.organization": "Organisation",
    "ssl.organization_hint": (
        "La raison sociale inscrite dans le certificat, telle qu'au registre du commerce."
    ),
    "ssl.key_portal": "Créer la clé privée pour moi (téléchargeable une seule fois)",
    "ssl.key_csr": "J'ai ma demande de certificat (CSR) : je la colle",
    "ssl.csr": "Demande de certificat (CSR)",
    "ssl.domain_invalid": "Ce nom n'est pas un nom de domaine valide (exemple : www.mon-site.fr).",
    "ssl.domain_wildcard_single": (
        "Un nom en *. demande un certificat wildcard : choisissez l'offre Wildcard, ou "
        "indiquez un seul nom."
    ),
    "ssl.wildcard_not_managed": (
        "Un certificat wildcard se commande pour un domaine géré dans votre compte : nous "
        "validons alors le domaine nous-mêmes. Ce domaine n'y est pas : enregistrez-le ou "
        "transférez-le ici, ou commandez un certificat pour un seul nom."
    ),
    "ssl.organization_required": "Indiquez l'organisation à inscrire dans le certificat.",
    "ssl.organization_invalid": (
        "Le nom de l'organisation doit tenir en 64 caractères, sans caractère spécial."
    ),
    "ssl.renew_one_year": "Un certificat SSL se renouvelle pour un an à la fois.",
    "ssl.not_seen": (
        "L'enregistrement DNS de {name} n'est pas encore visible. Vérifiez son nom et sa "
        "valeur ; un nouvel enregistrement peut mettre quelques minutes à apparaître."
    ),
    "ssl.not_ready": (
        "La demande est en cours d'ouverture auprès de l'autorité de certification : "
        "rechargez la page dans un instant."
    ),
    "ssl.check_wait": "Une vérification vient d'avoir lieu : réessayez dans quelques secondes.",
    "ssl.ca_down": (
        "L'autorité de certification ne répond pas pour le moment : réessayez dans "
        "quelques minutes."
    ),
    "ssl.title": "Certificat SSL",
    "ssl.names": "Noms protégés",
    "ssl.validation": "Validation",
    "ssl.validation_dv": "Domaine (DV)",
    "ssl.validation_ov": "Organisation (OV)",
    "ssl.serial": "Numéro de série",
    "ssl.valid": "Valable",
    "ssl.pending": "Validation du domaine en attente : le certificat est émis dès que "
    "l'enregistrement DNS ci-dessous est visible.",
    "ssl.issued": "Le certificat est émis : téléchargez-le avec sa chaîne ci-dessous.",
    "ssl.issued_now": "Domaine validé : le certificat est émis.",
    "ssl.opening": ("La demande est en cours d'ouverture auprès de l'autorité de certification."),
    "ssl.dcv_automatic": (
        "Ce domaine est géré dans votre compte : nous créons nous-mêmes cet enregistrement "
        "TXT et le certificat est émis automatiquement."
    ),
    "ssl.dcv_manual": (
        "Créez cet enregistrement TXT dans la zone DNS du domaine, chez son hébergeur DNS, "
        "puis cliquez sur « Vérifier »."
    ),
    "ssl.record_name": "Nom",
    "ssl.record_type": "Type",
    "ssl.record_value": "Valeur",
    "ssl.verify": "Vérifier",
    "ssl.download_certificate": "Certificat (PEM)",
    "ssl.download_chain": "Chaîne intermédiaire (PEM)",
    "ssl.download_fullchain": "Certificat et chaîne (PEM)",
    "ssl.download_key": "Clé privée (PEM)",
    "ssl.key_once": (
        "Nous avons créé la clé privée de ce certificat. Téléchargez-la maintenant et "
        "gardez-la en lieu sûr : elle ne peut être téléchargée qu'une fois, puis nous "
        "l'effaçons."
    ),
    "ssl.key_gone": "Clé privée téléchargée, puis effacée de nos serveurs",
    "tasks.action_open_certificate": "Demande de certificat SSL",
    "tasks.action_publish_dns_record": "Publication d'un enregistrement DNS",
    "tasks.action_issue_certificate": "Émission du certificat SSL",
    "tasks.action_unpublish_dns_record": "Retrait d'un enregistrement DNS",
    "mailkind.certificate_expired": "Certificat SSL expiré",
    "mailkind.certificate_terminated": "Certificat SSL résilié",
    "catalog.certificates": "Certificats SSL",
    "catalog.certificate": "Certificat",
    "catalog.year": "Prix par an",
    "catalog.edit_certificate": "Modifier le certificat",
    "catalog.saved_certificate": "{name} : prix enregistré.",
}

EN = {
    "kind.ssl": "SSL certificate",
    "order.tab_ssl": "SSL certificate",
    "ssl.domain": "Name to protect",
    "ssl.domain_hint": (
        "The site's name (www.my-site.com); for a wildcard, the domain (my-site.com): the "
        "certificate then protects *.my-site.com and my-site.com."
    ),
    "ssl.organization": "Organisation",
    "ssl.organization_hint": "The legal name written in the certificate, as registered.",
    "ssl.key_portal": "Make the private key for me (downloadable once)",
    "ssl.key_csr": "I have my certificate signing request (CSR): I paste it",
    "ssl.csr": "Certificate signing request (CSR)",
    "ssl.domain_invalid": "This is not a valid domain name (for example: www.my-site.com).",
    "ssl.domain_wildcard_single": (
        "A name with *. needs a wildcard certificate: choose the Wildcard offer, or give "
        "a single name."
    ),
    "ssl.wildcard_not_managed": (
        "A wildcard certificate is ordered for a domain managed in your account: we then "
        "validate the domain ourselves. This domain is not: register or transfer it here, "
        "or order a certificate for a single name."
    ),
    "ssl.organization_required": "Give the organisation to write in the certificate.",
    "ssl.organization_invalid": (
        "The organisation's name must fit in 64 characters, without special characters."
    ),
    "ssl.renew_one_year": "An SSL certificate is renewed for one year at a time.",
    "ssl.not_seen": (
        "The DNS record of {name} is not visible yet. Check its name and value; a new "
        "record can take a few minutes to appear."
    ),
    "ssl.not_ready": (
        "The request is being opened with the certificate authority: reload the page in a moment."
    ),
    "ssl.check_wait": "A check was just made: try again in a few seconds.",
    "ssl.ca_down": "The certificate authority does not answer right now: try again in a few minutes.",
    "ssl.title": "SSL certificate",
    "ssl.names": "Protected names",
    "ssl.validation": "Validation",
    "ssl.validation_dv": "Domain (DV)",
    "ssl.validation_ov": "Organisation (OV)",
    "ssl.serial": "Serial number",
    "ssl.valid": "Valid",
    "ssl.pending": "Domain validation pending: the certificate is issued as soon as the DNS "
    "record below is visible.",
    "ssl.issued": "The certificate is issued: download it with its chain below.",
    "ssl.issued_now": "Domain validated: the certificate is issued.",
    "ssl.opening": "The request is being opened with the certificate authority.",
    "ssl.dcv_automatic": (
        "This domain is managed in your account: we create this TXT record ourselves and "
        "the certificate is issued automatically."
    ),
    "ssl.dcv_manual": (
        "Create this TXT record in the domain's DNS zone, where its DNS is hosted, then "
        "click “Verify”."
    ),
    "ssl.record_name": "Name",
    "ssl.record_type": "Type",
    "ssl.record_value": "Value",
    "ssl.verify": "Verify",
    "ssl.download_certificate": "Certificate (PEM)",
    "ssl.download_chain": "Intermediate chain (PEM)",
    "ssl.download_fullchain": "Certificate and chain (PEM)",
    "ssl.download_key": "Private key (PEM)",
    "ssl.key_once": (
        "We made this certificate's private key. Download it now and keep it safe: it can "
        "be downloaded once only, then we erase it."
    ),
    "ssl.key_gone": "Private key downloaded, then erased from our servers",
    "tasks.action_open_certificate": "SSL certificate request",
    "tasks.action_publish_dns_record": "DNS record publication",
    "tasks.action_issue_certificate": "SSL certificate issuance",
    "tasks.action_unpublish_dns_record": "DNS record removal",
    "mailkind.certificate_expired": "SSL certificate expired",
    "mailkind.certificate_terminated": "SSL certificate terminated",
    "catalog.certificates": "SSL certificates",
    "catalog.certificate": "Certificate",
    "catalog.year": "Price a year",
    "catalog.edit_certificate": "Edit the certificate",
    "catalog.saved_certificate": "{name}: price saved.",
}
