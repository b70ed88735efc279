"""The default FAQ (Markdown answers), in French and in English (default_faq_en.py, entry
for entry), inserted for each language that has no entry yet.

Staff edit it afterwards from /admin; `ensure_faq` never touches existing entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from o2portal.content import default_faq_en
from o2portal.content.models import FaqEntry


@dataclass(frozen=True)
class FaqItem:
    topic: str
    question: str
    answer: str


ACCOUNT = "Compte"
BILLING = "Facturation et paiement"
RENEWAL = "Renouvellement et échéances"
DOMAINS = "Noms de domaine"
HOSTING = "Hébergement"
SUPPORT = "Support"

FAQ_ITEMS: list[FaqItem] = [
    # --- Compte -----------------------------------------------------------
    FaqItem(
        ACCOUNT,
        "Comment créer mon compte client ?",
        """\
Cliquez sur **Créer un compte** depuis la page de connexion, puis renseignez :

1. le **type de compte** : particulier, entreprise ou association ;
2. vos nom et prénom ; pour une entreprise ou une association, la raison sociale,
   le **SIRET** et, si vous en avez un, le **numéro de TVA intracommunautaire** ;
3. votre adresse e-mail, votre téléphone et votre adresse postale ;
4. un mot de passe d'au moins 10 caractères ;
5. l'acceptation des conditions générales de vente.

Vous recevez aussitôt l'e-mail **« Votre compte client »** : il rappelle votre
identifiant de connexion (votre adresse e-mail) — jamais votre mot de passe — et
contient un lien pour confirmer votre adresse. Tant qu'elle n'est pas confirmée,
un bandeau vous le rappelle sur le **Tableau de bord**.""",
    ),
    FaqItem(
        ACCOUNT,
        "J'ai perdu mon mot de passe : comment le réinitialiser ?",
        """\
Sur la page de connexion, cliquez sur **« Mot de passe perdu ? »** et saisissez
l'adresse e-mail de votre compte. Par sécurité, la réponse affichée est la même,
que l'adresse corresponde ou non à un compte.

Vous recevez un lien **à usage unique, valable 1 heure**. Il vous permet de choisir
un nouveau mot de passe ; toutes vos autres sessions ouvertes sont alors fermées.

- Pas d'e-mail reçu ? Vérifiez vos courriers indésirables, puis refaites la demande.
- Vous ne savez plus quelle adresse vous avez utilisée ? Cherchez dans votre
  messagerie l'e-mail « Votre compte client » reçu à l'inscription.
- Nos équipes ne peuvent pas vous communiquer votre mot de passe : il n'est jamais
  stocké en clair.""",
    ),
    FaqItem(
        ACCOUNT,
        "Comment changer mon mot de passe et sécuriser mon compte ?",
        """\
Rendez-vous dans **Ma fiche** :

- **Mot de passe** : saisissez l'actuel puis le nouveau (10 caractères minimum).
  Les autres appareils connectés sont déconnectés.
- **Double authentification** : activez un code à usage unique (application TOTP
  comme FreeOTP, Aegis ou Google Authenticator). Conservez les codes de secours
  affichés une seule fois.
- **Sessions ouvertes** : voyez chaque appareil, son adresse IP et sa dernière
  activité, et cliquez sur **« Déconnecter toutes les autres sessions »** en cas de
  doute.""",
    ),
    FaqItem(
        ACCOUNT,
        "Comment modifier mon adresse e-mail, mon téléphone ou mon adresse postale ?",
        """\
Tout se fait dans **Ma fiche**. Gardez ces informations à jour : elles servent à
vous joindre si vous perdez votre mot de passe, et **tous les rappels d'échéance
partent par e-mail**. Une adresse invalide, c'est le risque de manquer une
expiration.

Une nouvelle adresse e-mail ne remplace l'ancienne qu'après un clic sur le lien
envoyé à la nouvelle adresse ; l'ancienne adresse est prévenue du changement.
Le téléphone est vérifié (format international, pays).""",
    ),
    FaqItem(
        ACCOUNT,
        "Comment transférer la propriété d'un produit à une autre personne ?",
        """\
Un hébergement, un nom de domaine, un serveur ou un certificat peut changer de
titulaire (cession d'une activité, changement de prestataire, passage d'un
particulier à sa société…). C'est gratuit et se fait depuis votre espace client :

1. Le **nouveau titulaire** crée son propre compte client s'il n'en a pas.
2. Le **titulaire actuel** ouvre le produit (**Mes comptes**, puis le produit) et,
   dans **Changer de titulaire**, indique l'adresse e-mail du compte qui doit le
   recevoir, coche la confirmation et clique sur **Proposer le changement**.
3. Le destinataire est prévenu par e-mail ; il **accepte** ou **refuse** depuis
   **Changements de titulaire** (un rappel s'affiche sur son tableau de bord).
   Sans réponse sous **14 jours**, la proposition expire. Tant qu'elle attend, le
   titulaire actuel peut l'annuler.

À l'acceptation, le produit passe dans le compte du nouveau titulaire avec son
échéance et ses options ; le **renouvellement automatique est désactivé** jusqu'à
ce qu'il l'active. Les deux comptes sont prévenus par e-mail. Pour un nom de
domaine, le changement de titulaire est aussi déclaré au registre (pour le `.fr`,
auprès de l'Afnic). Les factures déjà émises restent au nom de l'ancien
titulaire ; les renouvellements suivants sont facturés au nouveau.

Un produit **suspendu**, dont un **bon de commande de renouvellement n'est pas
réglé** ou dont un **paiement est en attente** (carte, virement, chèque) ne peut
pas changer de titulaire tant que ce n'est pas réglé : la page du produit dit
pourquoi.""",
    ),
    FaqItem(
        ACCOUNT,
        "Comment télécharger ou supprimer mes données personnelles (RGPD) ?",
        """\
Dans **Ma fiche**, onglet **Mes données**, **Télécharger mes données** vous donne
l'ensemble des informations que nous détenons sur vous (coordonnées, produits,
commandes, factures, paiements, tickets, emails, connexions), en un fichier JSON.

Au même endroit, **Supprimer mon compte** efface vos données personnelles et ferme
votre accès, dès qu'aucun service n'est actif et que tout est réglé. Les factures
sont conservées pendant la durée légale (10 ans), même après la suppression du
compte.""",
    ),
    # --- Facturation et paiement ------------------------------------------
    FaqItem(
        BILLING,
        "Quels moyens de paiement acceptez-vous ?",
        """\
- **Carte bancaire** : paiement immédiat, le produit est livré aussitôt. Vous pouvez
  enregistrer la carte pour le renouvellement automatique (nous ne conservons que
  les 4 derniers chiffres).
- **Virement bancaire** : le bon de commande reste *en attente* jusqu'à réception
  du virement ; indiquez le numéro de commande en référence.
- **Chèque** : à l'ordre d'O2Portal SAS, envoyé au 12 rue de l'Hébergement,
  63000 Clermont-Ferrand, avec le numéro de commande au dos.
- **Crédit de compte** : un remboursement ou un avoir crédité sur votre compte
  peut régler tout ou partie d'une commande.

Pour un virement ou un chèque, le produit est livré dès que nos équipes ont
enregistré le paiement.""",
    ),
    FaqItem(
        BILLING,
        "Comment obtenir une facture ?",
        """\
Chaque paiement produit une **facture** numérotée (par exemple `F2026-000123`),
disponible immédiatement dans le menu **Factures**, où vous pouvez la
**télécharger en PDF**. Les factures d'un produit sont aussi listées sur sa page,
dans **Mes comptes**.

Avant paiement, vous voyez un **bon de commande** (statut *non payé*) : ce n'est
pas une facture, et vous pouvez le régler depuis **Factures → Payer**.

Une facture émise ne peut plus être modifiée : une correction ou un remboursement
donne lieu à un **avoir**, également téléchargeable.""",
    ),
    FaqItem(
        BILLING,
        "Comment la TVA s'applique-t-elle sur la facture d'une entreprise ?",
        """\
Nos prix sont affichés **hors taxes (HT)** ; chaque facture détaille HT, TVA et TTC.

| Client | TVA appliquée |
|---|---|
| Particulier ou entreprise établi en **France** | 20 % |
| **Entreprise de l'UE** hors France, avec un n° de TVA valide | 0 % (autoliquidation) |
| Client établi **hors de l'Union européenne** | 0 % |

En autoliquidation, la facture porte la mention *« Autoliquidation – article
283-2 du CGI / article 196 de la directive 2006/112/CE »* : c'est à vous de
déclarer la TVA dans votre pays.

Renseignez votre numéro de TVA dans **Ma fiche** **avant** de commander : il est
vérifié, puis repris sur les commandes suivantes. Une facture déjà émise n'est pas
modifiée après coup.""",
    ),
    FaqItem(
        BILLING,
        "Puis-je être remboursé ?",
        """\
**Particuliers** : vous disposez d'un **droit de rétractation de 14 jours** à compter
de la commande. Demandez-le par un ticket au département *facturation*.
Si vous avez demandé, lors de la commande, que le service commence avant la fin
de ce délai, le remboursement est diminué de la part du service déjà fournie.
L'enregistrement d'un nom de domaine, exécuté immédiatement auprès du registre,
ne peut pas être annulé.

**Professionnels** : le droit de rétractation ne s'applique pas ; un geste
commercial reste possible en cas de problème de notre fait.

Tout remboursement fait l'objet d'un **avoir** (visible dans **Factures**) et est
versé sur la carte utilisée, par virement ou en crédit de compte.""",
    ),
    FaqItem(
        BILLING,
        "Mon paiement par carte a été refusé, que faire ?",
        """\
Aucun montant n'est prélevé en cas de refus, et votre bon de commande reste
disponible dans **Factures** : cliquez sur **Payer** pour réessayer avec une autre
carte, ou choisissez le virement ou le chèque. Un même bon de commande ne peut
jamais être payé deux fois.""",
    ),
    # --- Renouvellement et échéances --------------------------------------
    FaqItem(
        RENEWAL,
        "Puis-je renouveler un produit en avance ?",
        """\
Oui, et **vous ne perdez rien** : le renouvellement s'ajoute à la **date
d'échéance actuelle**, pas à la date du jour.

*Exemple* : un domaine qui expire le 15 mars 2027, renouvelé pour 1 an le
2 janvier 2027, expire ensuite le 15 mars 2028.

Dans **Mes comptes**, ouvrez le produit puis cliquez sur **Renouveler** : choisissez
1, 2 ou 3 ans ; le prix et la nouvelle date d'échéance s'affichent avant le
paiement. Un hébergement déjà expiré repart de la date du jour.""",
    ),
    FaqItem(
        RENEWAL,
        "Comment fonctionne le renouvellement automatique ?",
        """\
Activez-le produit par produit dans **Mes comptes** (interrupteur
*Renouvellement automatique*). Il nécessite une **carte enregistrée**.

- **15 jours avant l'échéance** (J-15), nous créons le bon de commande de
  renouvellement pour 1 an ;
- **7 jours avant** (J-7), la carte enregistrée est débitée et la facture vous est
  envoyée.

Si le paiement échoue, vous êtes prévenu par e-mail et le produit repasse en
renouvellement manuel : il suffit de payer le bon de commande depuis **Factures**.
Vous pouvez désactiver le renouvellement automatique à tout moment.""",
    ),
    FaqItem(
        RENEWAL,
        "Quand reçoit-on les rappels d'échéance ?",
        """\
Un e-mail de rappel part pour chaque produit **60, 30, 15, 7 et 1 jour(s)** avant
l'échéance, **le jour même** et **7 jours après** (J-60, J-30, J-15, J-7, J-1, J0,
J+7). Chaque rappel n'est envoyé qu'une fois par échéance.

Les produits qui arrivent à échéance sont aussi affichés sur votre **Tableau de
bord**. Vérifiez que votre adresse e-mail est correcte dans **Ma fiche**.""",
    ),
    FaqItem(
        RENEWAL,
        "Que se passe-t-il si je ne renouvelle pas à temps ?",
        """\
**Hébergement** : le compte est **suspendu le jour de l'échéance** (site et e-mails
inaccessibles, données conservées), puis **supprimé 30 jours plus tard**. Un
renouvellement pendant la suspension le réactive immédiatement.

**Nom de domaine** :

- jusqu'à **30 jours** après l'échéance, il se renouvelle **au prix normal** ;
- du 31ᵉ au **50ᵉ jour**, il peut encore être **restauré**, avec des frais de
  restauration ;
- au-delà, il est libéré et peut être enregistré par n'importe qui.""",
    ),
    # --- Noms de domaine --------------------------------------------------
    FaqItem(
        DOMAINS,
        "Comment obtenir le code de transfert (AuthCode) de mon nom de domaine ?",
        """\
Dans **Mes comptes**, ouvrez le nom de domaine puis cliquez sur
**« Afficher le code de transfert »**. Communiquez ce code (appelé aussi code
*EPP* ou *AuthInfo*) au prestataire qui doit recevoir le domaine.

Avant le transfert sortant, **désactivez le verrou de transfert** (*registrar
lock*) sur la même page ; réactivez-le ensuite si vous changez d'avis. Le transfert
est refusé par le registre si le domaine expire dans les prochains jours :
renouvelez-le d'abord.""",
    ),
    FaqItem(
        DOMAINS,
        "Comment transférer un nom de domaine chez vous ?",
        """\
Dans **Commander → Nom de domaine**, choisissez **Transfert**, saisissez le domaine
et le **code de transfert** fourni par votre prestataire actuel (pensez à retirer
le verrou de transfert chez lui). Le prix du transfert inclut **un an de
renouvellement**, ajouté à l'échéance actuelle : vous ne perdez pas la période
déjà payée.""",
    ),
    FaqItem(
        DOMAINS,
        "Qui sont les contacts technique et administratif de mon domaine ?",
        """\
Un **contact** est un autre compte client à qui vous confiez l'un de vos produits
(domaine, hébergement, serveur) : votre agence web, votre webmaster, votre service
informatique. Tout se fait vous-même, depuis la page **Contacts** :

1. Votre webmaster crée son propre compte client s'il n'en a pas : chacun garde ses
   identifiants, vous ne partagez jamais les vôtres.
2. Dans **Contacts → Inviter un contact**, choisissez le produit et le rôle, et
   saisissez l'adresse email de son compte client. Il reçoit l'invitation par email.
3. Il l'accepte depuis **son** espace, page **Contacts**. Le produit apparaît alors
   chez lui dans **Mes comptes → Gérés pour d'autres**.

Un **contact technique** voit le produit, change les serveurs DNS d'un domaine et
ouvre des tickets à son sujet. Un **contact administratif** peut en plus le
**renouveler et le payer avec ses propres moyens de paiement** : le bon de commande et
la facture restent à votre nom, et votre carte enregistrée n'est jamais utilisée pour
lui. Ni l'un ni l'autre ne voit vos factures, vos moyens de paiement ni vos
coordonnées.

Votre webmaster peut aussi **commander pour vous** : dans **Commander**, il choisit
« Pour un client » et saisit l'adresse email de votre compte. Rien n'est payé à ce
stade : vous recevez un email et voyez la commande dans **Contacts → Commandes
proposées pour mon compte**, au prix calculé pour vous (votre pays, votre numéro de
TVA). Acceptez-la ou refusez-la dans les 14 jours. Une fois acceptée, le bon de
commande est à votre nom ; votre webmaster le paie (ou vous-même, depuis
**Factures**), le produit est créé sur votre compte, la facture est établie à votre
nom et il devient contact administratif du produit.

Chaque action d'un contact vous est signalée par email et reste visible dans
**Contacts → Ce que vos contacts ont fait**. Le bouton **Retirer l'accès** coupe son
accès immédiatement, pages ouvertes comprises ; **Retirer son droit de payer** fait de
même pour une commande acceptée qu'il n'a pas encore payée.

Auprès du registre, le titulaire et le contact administratif d'un domaine restent
les coordonnées de **Ma fiche** ; le contact technique déclaré est O2Portal, qui gère
les serveurs DNS et l'enregistrement pour vous. Pour changer le titulaire, voir
*« Comment transférer la propriété d'un produit »*.""",
    ),
    FaqItem(
        DOMAINS,
        "Comment modifier les serveurs DNS de mon domaine ?",
        """\
Dans **Mes comptes**, ouvrez le domaine : la rubrique **Serveurs DNS** liste les
serveurs actuels (par défaut `ns1.o2portal.example` et `ns2.o2portal.example`).
Modifiez-les puis enregistrez ; la propagation prend de quelques minutes à
48 heures.""",
    ),
    # --- Hébergement ------------------------------------------------------
    FaqItem(
        HOSTING,
        "Quelle différence entre les formules Grow, Cloud et Pro ?",
        """\
Il s'agit d'une **offre unique** déclinée en trois niveaux de ressources
(espace disque, processeurs, mémoire). Toutes incluent e-mails, bases de données
et certificats SSL, ainsi qu'**un nom de domaine offert la première année** parmi
`.com`, `.net`, `.org`, `.fr`, `.be` et `.eu`.

Commandez-la dans **Commander → Hébergement**, pour 1, 2 ou 3 ans ; le détail et
les prix de chaque formule y sont indiqués.""",
    ),
    FaqItem(
        HOSTING,
        "Comment commander un certificat SSL ?",
        """\
Dans **Commander → Certificat SSL**, choisissez l'offre : **DV** (un nom, par exemple
`www.mon-site.fr`), **DV Wildcard** (le domaine et tous ses sous-domaines, pour un
domaine géré dans votre compte) ou **OV** (le nom de votre organisation inscrit dans le
certificat). Chacune vaut pour un an.

Collez votre demande de certificat (CSR) si vous en avez une ; sinon nous créons la clé
privée pour vous : elle se télécharge **une seule fois** depuis la page du certificat,
puis nous l'effaçons.

Après le paiement, la page du certificat (**Mes comptes**) indique l'enregistrement DNS
de type TXT qui prouve que le domaine est à vous. Si le domaine est géré dans votre
compte, nous le créons nous-mêmes et le certificat est émis en quelques instants ;
sinon, créez-le chez votre hébergeur DNS puis cliquez sur **Vérifier**. Le certificat
et sa chaîne se téléchargent ensuite au format PEM. Il se renouvelle comme vos autres
services, pour un an de plus.""",
    ),
    FaqItem(
        HOSTING,
        "Où trouver mes identifiants d'hébergement ?",
        """\
Dans **Mes comptes**, ouvrez votre hébergement : vous y trouvez l'**identifiant**
du compte, le **serveur** qui l'héberge et vos quotas (espace disque, comptes
e-mail, bases de données). Le mot de passe du panneau de contrôle vous a été
envoyé à la création du compte ; il n'est jamais affiché dans l'espace client.""",
    ),
    FaqItem(
        HOSTING,
        "Que se passe-t-il à l'expiration de mon hébergement ?",
        """\
Le jour de l'échéance, le compte est **suspendu** : le site et les e-mails ne
répondent plus, mais vos fichiers et bases sont conservés. Vous disposez de
**30 jours** pour le renouveler depuis **Mes comptes** ; il est alors réactivé
immédiatement et la nouvelle période part de la date du jour. Passé ce délai,
le compte et ses données sont supprimés.""",
    ),
    # --- Support ----------------------------------------------------------
    FaqItem(
        SUPPORT,
        "Comment contacter le support ?",
        """\
Depuis **Tickets → Nouveau ticket** : indiquez un sujet, le **département**
(*technique*, *facturation* ou *commercial*), la priorité, le produit concerné et
votre message. Les réponses s'affichent dans le fil du ticket, **en direct** si la
page est ouverte, et vous sont signalées par e-mail.

Un ticket passe par les statuts *ouvert → répondu → en attente de votre réponse
→ fermé* ; vous pouvez le rouvrir en y répondant.""",
    ),
    FaqItem(
        SUPPORT,
        "Comment joindre du code ou des journaux d'erreurs à un ticket ?",
        """\
Inutile de passer par un service externe type *pastebin* : les messages acceptent
le **Markdown**. Encadrez votre code par trois accents graves en précisant le
langage pour obtenir la coloration syntaxique :

````markdown
```php
<?php echo phpversion(); ?>
```
````

Vous pouvez aussi **joindre des fichiers texte** (`.txt`, `.log`) à votre message.
Ne collez jamais de mot de passe dans un ticket.""",
    ),
]


# The default FAQ of each language customers read it in, entry for entry.
DEFAULT_FAQ: dict[str, list[FaqItem]] = {
    "fr": FAQ_ITEMS,
    "en": [FaqItem(*item) for item in default_faq_en.ITEMS],
}


def ensure_faq(session: Session) -> None:
    """Insert the default FAQ of each language that has no entry yet (a new installation
    gets both; one seeded when the FAQ was French only gets the English one)."""
    for language, items in DEFAULT_FAQ.items():
        if session.exec(select(FaqEntry.id).where(FaqEntry.language == language)).first():
            continue
        for position, item in enumerate(items, start=1):
            session.add(
                FaqEntry(
                    topic=item.topic,
                    question=item.question,
                    answer=item.answer,
                    language=language,
                    sort_order=position * 10,
                )
            )
    session.flush()
