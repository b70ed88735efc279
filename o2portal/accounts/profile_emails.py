"""The texts of the emails about the customer's fiche and account security (French, like
the customers; see emails.py for the others)."""

from __future__ import annotations

from o2portal.core.settings import get_settings


def _link(path: str) -> str:
    return get_settings().base_url.rstrip("/") + path


_SIGNATURE = "L'équipe o2portal\n"


def email_change_link(first_name: str, new_email: str, token: str, hours: int) -> tuple[str, str]:
    subject = "Confirmez votre nouvelle adresse email"
    body = f"""Bonjour {first_name},

Vous avez demandé que {new_email} devienne l'adresse email de votre compte client
o2portal. Pour confirmer, ouvrez ce lien (valable {hours} heures, utilisable une seule
fois) :
{_link("/confirm-email?token=" + token)}

Tant que ce lien n'est pas ouvert, votre adresse actuelle reste en vigueur.
Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.

{_SIGNATURE}"""
    return subject, body


def email_change_requested(first_name: str, new_email: str) -> tuple[str, str]:
    subject = "Demande de changement de votre adresse email"
    body = f"""Bonjour {first_name},

Une demande a été faite pour remplacer l'adresse email de votre compte client o2portal
par : {new_email}

Un lien de confirmation a été envoyé à cette nouvelle adresse. Tant qu'il n'est pas
ouvert, votre adresse actuelle (celle-ci) reste en vigueur.

Si vous n'êtes pas à l'origine de cette demande, changez votre mot de passe dans
« Ma fiche » et contactez le support : {get_settings().support_email}

{_SIGNATURE}"""
    return subject, body


def email_changed(first_name: str, new_email: str) -> tuple[str, str]:
    subject = "Votre adresse email a été modifiée"
    body = f"""Bonjour {first_name},

L'adresse email de votre compte client o2portal est désormais : {new_email}
Ce message est le dernier envoyé à cette adresse-ci. Vous vous connectez maintenant
avec la nouvelle adresse.

Si vous n'êtes pas à l'origine de ce changement, contactez immédiatement le support :
{get_settings().support_email}

{_SIGNATURE}"""
    return subject, body


def password_changed_here(first_name: str) -> tuple[str, str]:
    subject = "Votre mot de passe a été modifié"
    body = f"""Bonjour {first_name},

Le mot de passe de votre compte client o2portal vient d'être modifié depuis « Ma fiche ».
Les autres sessions ouvertes ont été fermées.

Si vous n'êtes pas à l'origine de ce changement, demandez immédiatement un nouveau
mot de passe : {_link("/forgot-password")}
et contactez le support.

{_SIGNATURE}"""
    return subject, body


def totp_enabled(first_name: str) -> tuple[str, str]:
    subject = "Double authentification activée"
    body = f"""Bonjour {first_name},

La double authentification est activée sur votre compte client o2portal : un code de
votre application vous sera demandé à chaque connexion. Gardez vos codes de secours en
lieu sûr, ils servent si vous perdez votre téléphone.

Si vous n'êtes pas à l'origine de ce changement, contactez immédiatement le support.

{_SIGNATURE}"""
    return subject, body


def totp_disabled(first_name: str) -> tuple[str, str]:
    subject = "Double authentification désactivée"
    body = f"""Bonjour {first_name},

La double authentification vient d'être désactivée sur votre compte client o2portal.
Votre mot de passe suffit désormais pour vous connecter.

Si vous n'êtes pas à l'origine de ce changement, changez votre mot de passe et
contactez immédiatement le support.

{_SIGNATURE}"""
    return subject, body


def recovery_code_used(first_name: str, left: int) -> tuple[str, str]:
    subject = "Un code de secours a été utilisé"
    body = f"""Bonjour {first_name},

Un code de secours vient d'être utilisé pour vous connecter à votre compte client
o2portal. Il ne fonctionnera plus. Codes de secours restants : {left}.
Vous pouvez en générer de nouveaux dans « Ma fiche », rubrique Sécurité.

Si ce n'était pas vous, changez votre mot de passe et contactez le support.

{_SIGNATURE}"""
    return subject, body


def account_deleted(first_name: str) -> tuple[str, str]:
    subject = "Votre compte client a été supprimé"
    body = f"""Bonjour {first_name},

Comme vous l'avez demandé, votre compte client o2portal est supprimé : vos données
personnelles ont été effacées. Vos factures sont conservées pendant la durée imposée
par la loi (10 ans), sans autre usage.

Merci d'avoir été client.

{_SIGNATURE}"""
    return subject, body
