"""Messages of SSL certificates: a pasted certificate signing request (CSR) refused."""

FR = {
    "ssl.csr_required": (
        "Collez votre demande de certificat (CSR), ou choisissez que nous créions la clé pour vous."
    ),
    "ssl.csr_too_long": "Ce texte est bien trop long pour une demande de certificat (CSR).",
    "ssl.csr_private_key": (
        "Ce texte contient une clé privée : ne la communiquez à personne, nous non plus. "
        "Collez seulement la demande de certificat, le bloc « -----BEGIN CERTIFICATE "
        "REQUEST----- »."
    ),
    "ssl.csr_is_certificate": (
        "Ce texte est un certificat, pas une demande de certificat : collez le bloc "
        "« -----BEGIN CERTIFICATE REQUEST----- » créé avec votre clé."
    ),
    "ssl.csr_not_pem": (
        "Ce texte n'est pas une demande de certificat (CSR) au format PEM : elle commence "
        "par « -----BEGIN CERTIFICATE REQUEST----- » et finit par « -----END CERTIFICATE "
        "REQUEST----- »."
    ),
    "ssl.csr_several": "Collez une seule demande de certificat (CSR), pas plusieurs.",
    "ssl.csr_unreadable": (
        "Cette demande de certificat est incomplète ou abîmée : copiez-la en entier, lignes "
        "BEGIN et END comprises, sans rien y changer."
    ),
    "ssl.csr_bad_signature": (
        "La signature de cette demande de certificat n'est pas valide : elle a été modifiée "
        "après sa création. Créez-en une nouvelle avec votre clé."
    ),
    "ssl.csr_rsa_weak": (
        "La clé de cette demande est trop faible : une clé RSA doit avoir au moins 2048 bits."
    ),
    "ssl.csr_rsa_large": (
        "La clé RSA de cette demande dépasse 8192 bits : utilisez une clé de 2048 à 4096 bits."
    ),
    "ssl.csr_curve": (
        "La courbe de la clé de cette demande n'est pas acceptée : une clé ECDSA doit être "
        "sur la courbe P-256 ou P-384."
    ),
    "ssl.csr_key_type": (
        "Ce type de clé n'est pas accepté : utilisez une clé RSA (2048 bits ou plus) ou "
        "ECDSA (P-256 ou P-384)."
    ),
    "ssl.csr_no_name": (
        "Cette demande de certificat ne nomme aucun domaine : indiquez le nom commandé "
        "comme nom commun (CN)."
    ),
    "ssl.csr_other_names": (
        "Cette demande de certificat contient autre chose que des noms de domaine (une "
        "adresse IP ou e-mail, par exemple) : seuls des noms de domaine sont acceptés."
    ),
    "ssl.csr_bad_name": (
        "Cette demande de certificat contient un nom qui n'est pas un nom de domaine valide."
    ),
    "ssl.csr_wrong_name": (
        "Cette demande de certificat est faite pour un autre nom que celui commandé : "
        "créez-la pour le nom de la commande."
    ),
    "ssl.csr_wildcard_single": (
        "Cette demande de certificat est pour un wildcard (*.), alors que la commande porte "
        "sur un seul nom : créez-la pour ce nom, ou commandez un certificat wildcard."
    ),
}

EN = {
    "ssl.csr_required": (
        "Paste your certificate signing request (CSR), or choose to have us make the key for you."
    ),
    "ssl.csr_too_long": "This text is far too long for a certificate signing request (CSR).",
    "ssl.csr_private_key": (
        "This text holds a private key: never share it, not even with us. Paste only the "
        "certificate signing request, the “-----BEGIN CERTIFICATE REQUEST-----” block."
    ),
    "ssl.csr_is_certificate": (
        "This text is a certificate, not a certificate signing request: paste the "
        "“-----BEGIN CERTIFICATE REQUEST-----” block made with your key."
    ),
    "ssl.csr_not_pem": (
        "This text is not a certificate signing request (CSR) in PEM format: it starts "
        "with “-----BEGIN CERTIFICATE REQUEST-----” and ends with “-----END CERTIFICATE "
        "REQUEST-----”."
    ),
    "ssl.csr_several": "Paste one certificate signing request (CSR), not several.",
    "ssl.csr_unreadable": (
        "This certificate signing request is incomplete or damaged: copy all of it, BEGIN "
        "and END lines included, without changing anything."
    ),
    "ssl.csr_bad_signature": (
        "The signature of this certificate signing request is not valid: it was changed "
        "after it was made. Make a new one with your key."
    ),
    "ssl.csr_rsa_weak": "This request's key is too weak: an RSA key needs 2048 bits at least.",
    "ssl.csr_rsa_large": (
        "This request's RSA key is over 8192 bits: use a key of 2048 to 4096 bits."
    ),
    "ssl.csr_curve": (
        "This request's key curve is not accepted: an ECDSA key must be on curve P-256 or P-384."
    ),
    "ssl.csr_key_type": (
        "This kind of key is not accepted: use an RSA key (2048 bits or more) or ECDSA "
        "(P-256 or P-384)."
    ),
    "ssl.csr_no_name": (
        "This certificate signing request names no domain: give the ordered name as its "
        "common name (CN)."
    ),
    "ssl.csr_other_names": (
        "This certificate signing request holds something other than domain names (an IP "
        "or email address, say): only domain names are accepted."
    ),
    "ssl.csr_bad_name": "This certificate signing request holds a name that is not a valid domain name.",
    "ssl.csr_wrong_name": (
        "This certificate signing request is for another name than the one ordered: make "
        "it for the order's name."
    ),
    "ssl.csr_wildcard_single": (
        "This certificate signing request is for a wildcard (*.), but the order is for a "
        "single name: make it for that name, or order a wildcard certificate."
    ),
}
