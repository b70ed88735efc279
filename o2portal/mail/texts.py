"""The texts of the emails o2portal sends (French, like the customers)."""

from __future__ import annotations

from o2portal.core.settings import get_settings


def _link(path: str) -> str:
    return get_settings().base_url.rstrip("/") + path


def welcome(first_name: str, email: str, verify_token: str) -> tuple[str, str]:
    subject = "Votre compte client o2portal"
    body = f"""Bonjour {first_name},

Votre compte client o2portal est ouvert. Conservez ce message : il contient vos
informations de connexion.

Espace client : {_link("/login")}
Identifiant de connexion : {email}
Mot de passe : celui que vous avez choisi à l'inscription (nous ne l'envoyons jamais).

Merci de confirmer votre adresse email en ouvrant ce lien (valable 48 heures) :
{_link("/verify-email?token=" + verify_token)}

Votre adresse email sert à vous envoyer les relances d'expiration de vos services et
à récupérer l'accès à votre compte : gardez-la à jour dans « Ma fiche ».

L'équipe o2portal
"""
    return subject, body


def verify_again(first_name: str, verify_token: str) -> tuple[str, str]:
    subject = "Confirmez votre adresse email"
    body = f"""Bonjour {first_name},

Pour confirmer votre adresse email, ouvrez ce lien (valable 48 heures) :
{_link("/verify-email?token=" + verify_token)}

L'équipe o2portal
"""
    return subject, body


def password_reset(first_name: str, reset_token: str, minutes: int) -> tuple[str, str]:
    subject = "Réinitialisation de votre mot de passe"
    body = f"""Bonjour {first_name},

Une demande de nouveau mot de passe a été faite pour votre compte client o2portal.
Pour choisir un nouveau mot de passe, ouvrez ce lien (valable {minutes} minutes,
utilisable une seule fois) :
{_link("/reset-password?token=" + reset_token)}

Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de
passe actuel reste valable.

L'équipe o2portal
"""
    return subject, body


def password_changed(first_name: str) -> tuple[str, str]:
    subject = "Votre mot de passe a été modifié"
    body = f"""Bonjour {first_name},

Le mot de passe de votre compte client o2portal vient d'être modifié, et toutes les
sessions ouvertes ont été fermées.

Si vous n'êtes pas à l'origine de ce changement, demandez immédiatement un nouveau
mot de passe : {_link("/forgot-password")}
et contactez le support.

L'équipe o2portal
"""
    return subject, body


_METHOD_TEXT = {
    "transfer": """Pour le régler par virement, indiquez la référence {reference} dans le libellé :
  IBAN : FR76 3000 4000 0100 0000 0000 000 — BIC : BNPAFRPPXXX
  Titulaire : O2Portal SAS""",
    "cheque": """Pour le régler par chèque, libellez-le à l'ordre de O2Portal SAS, notez la
référence {reference} au dos et envoyez-le à l'adresse de nos bureaux.""",
}


def invoice_issued(first_name: str, number: str, total_ttc: str) -> tuple[str, str]:
    subject = f"Votre facture {number}"
    body = f"""Bonjour {first_name},

Merci pour votre paiement de {total_ttc} TTC. Votre facture {number} est disponible
en PDF dans votre espace client, rubrique Factures :
{_link("/invoices")}

L'équipe o2portal
"""
    return subject, body


def order_form(first_name: str, reference: str, total_ttc: str, method: str) -> tuple[str, str]:
    subject = f"Votre bon de commande {reference}"
    how = _METHOD_TEXT.get(method, _METHOD_TEXT["transfer"]).format(reference=reference)
    body = f"""Bonjour {first_name},

Votre bon de commande {reference} d'un montant de {total_ttc} TTC est enregistré.
{how}

Dès réception du paiement, nous l'enregistrons : la facture est émise et vos services
sont prolongés. Vous pouvez aussi le régler par carte depuis la rubrique Factures :
{_link("/invoices")}

L'équipe o2portal
"""
    return subject, body


_KIND_TEXT = {"hosting": "l'hébergement", "domain": "le nom de domaine", "server": "le serveur"}


def expiry_reminder(
    *,
    first_name: str,
    product_name: str,
    kind: str,
    expiry: str,
    days: int,
    price_ttc: str,
    product_id: int,
    auto_renew: bool,
) -> tuple[str, str]:
    what = f"{_KIND_TEXT.get(kind, 'le service')} {product_name}"
    if days > 0:
        subject = f"{product_name} expire le {expiry} (dans {days} jour{'s' if days > 1 else ''})"
        when = f"{what[0].upper()}{what[1:]} expire le {expiry}, dans {days} jour(s)."
    elif days == 0:
        subject = f"{product_name} expire aujourd'hui"
        when = f"{what[0].upper()}{what[1:]} expire aujourd'hui, le {expiry}."
    else:
        subject = f"{product_name} a expiré le {expiry}"
        when = f"{what[0].upper()}{what[1:]} a expiré le {expiry}."
    if auto_renew:
        plan = (
            "Le renouvellement automatique est activé : le bon de commande est créé 15 jours "
            "avant l'échéance et réglé 7 jours avant, sur votre carte enregistrée ou votre "
            "crédit de compte."
        )
    else:
        plan = (
            "Pour éviter toute interruption, renouvelez-le dès maintenant "
            "(à l'avance, vous ne perdez aucun jour)."
        )
    body = f"""Bonjour {first_name},

{when}
Renouvellement pour 1 an : {price_ttc} TTC.
{plan}

Renouveler : {_link(f"/services/{product_id}#renew")}

L'équipe o2portal
"""
    return subject, body


def service_changed(first_name: str, product_name: str, change: str) -> tuple[str, str]:
    texts = {
        "suspended": (
            f"{product_name} est suspendu",
            f"{product_name} a expiré et vient d'être suspendu. Renouvelez-le pour le "
            "réactiver : vos données sont conservées 30 jours après l'expiration.",
        ),
        "terminated": (
            f"{product_name} est résilié",
            f"{product_name} n'a pas été renouvelé dans les 30 jours suivant son expiration : "
            "il est résilié et ses données seront effacées.",
        ),
        "expired": (
            f"{product_name} a expiré",
            f"Le nom de domaine {product_name} a expiré. Vous pouvez encore le renouveler au "
            "prix normal pendant 30 jours, puis avec des frais de restauration jusqu'au 50e jour.",
        ),
        "released": (
            f"{product_name} a été libéré",
            f"Le nom de domaine {product_name} n'a pas été renouvelé dans les 50 jours suivant "
            "son expiration : il a été libéré auprès du registre.",
        ),
    }
    subject, text = texts[change]
    body = f"""Bonjour {first_name},

{text}

Vos services : {_link("/services")}

L'équipe o2portal
"""
    return subject, body


def auto_renew_order(
    first_name: str, product_name: str, reference: str, total_ttc: str, charge_day: str
) -> tuple[str, str]:
    subject = f"Renouvellement automatique de {product_name}"
    body = f"""Bonjour {first_name},

Le renouvellement automatique de {product_name} a créé le bon de commande {reference}
({total_ttc} TTC). Il sera réglé le {charge_day} sur votre carte enregistrée ou votre crédit
de compte. Rien à faire de votre part ; pour l'arrêter, désactivez le renouvellement
automatique sur la page du produit : {_link("/services")}

L'équipe o2portal
"""
    return subject, body


def auto_renew_failed(
    first_name: str, product_name: str, reference: str, reason: str, product_id: int
) -> tuple[str, str]:
    subject = f"Échec du renouvellement automatique de {product_name}"
    body = f"""Bonjour {first_name},

Le paiement automatique du bon de commande {reference} pour {product_name} n'a pas abouti
({reason}). Le renouvellement automatique est désactivé pour ce produit : renouvelez-le
vous-même avant son expiration pour éviter une interruption.

Renouveler : {_link(f"/services/{product_id}#renew")}

L'équipe o2portal
"""
    return subject, body


def order_confirmation(
    first_name: str, reference: str, invoice: str, total_ttc: str, products: list[tuple[str, str]]
) -> tuple[str, str]:
    subject = f"Confirmation de votre commande {reference}"
    listed = "\n".join(f"  - {name} : actif jusqu'au {until}" for name, until in products)
    body = f"""Bonjour {first_name},

Merci pour votre commande {reference}. Le paiement de {total_ttc} TTC est accepté et la
facture {invoice} est disponible dans la rubrique Factures.

Vos nouveaux services sont prêts :
{listed}

Retrouvez-les dans Mes comptes : {_link("/services")}

L'équipe o2portal
"""
    return subject, body
