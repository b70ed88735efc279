"""Technical and administrative contacts: /contacts, the product page seen by a contact,
the staff's customer file."""

FR: dict[str, str] = {
    "nav.contacts": "Contacts",
    "contacts.intro": (
        "Confiez un produit à votre webmaster ou à votre agence : invitez son compte client "
        "comme contact technique (il voit le produit, peut changer les serveurs DNS d'un "
        "domaine et ouvrir des tickets à son sujet) ou administratif (il peut aussi le "
        "renouveler et le payer). Il ne voit jamais vos factures, vos cartes ni vos "
        "coordonnées. Vous voyez tout ce qu'il fait et pouvez lui retirer l'accès à tout "
        "moment. Un webmaster peut aussi commander pour vous : vous acceptez sa commande ici."
    ),
    "contacts.mine": "Mes contacts",
    "contacts.mine_hint": "Les comptes que vous avez invités sur vos produits.",
    "contacts.mine_none": "Aucun contact sur vos produits.",
    "contacts.invitations": "Invitations reçues",
    "contacts.invitations_none": "Aucune invitation en attente.",
    "contacts.clients": "Clients pour qui j'interviens",
    "contacts.clients_none": "Vous n'intervenez pour aucun client.",
    "contacts.actions": "Ce que vos contacts ont fait",
    "contacts.actions_none": "Aucune action de vos contacts pour l'instant.",
    "contacts.action": "Action",
    "contacts.details": "Détails",
    "contacts.product": "Produit",
    "contacts.holder": "Titulaire",
    "contacts.contact": "Contact",
    "contacts.email": "Adresse email de son compte client",
    "contacts.role": "Rôle",
    "contacts.role.technical": "contact technique",
    "contacts.role.administrative": "contact administratif",
    "contacts.role_technical_hint": (
        "Contact technique : voit le produit, change les serveurs DNS, ouvre des tickets. "
        "Il ne voit ni vos factures, ni vos cartes, ni vos coordonnées, et ne renouvelle pas."
    ),
    "contacts.status.invited": "Invité",
    "contacts.status.active": "Actif",
    "contacts.status.refused": "Refusé",
    "contacts.status.revoked": "Retiré",
    "contacts.action.accepted": "a accepté l'invitation",
    "contacts.action.refused": "a refusé l'invitation",
    "contacts.action.nameservers_changed": "a changé les serveurs DNS",
    "contacts.action.ticket_opened": "a ouvert un ticket",
    "contacts.invite_title": "Inviter un contact",
    "contacts.invite_hint": (
        "La personne doit avoir un compte client : elle reçoit un email et accepte "
        "depuis son propre espace."
    ),
    "contacts.invite": "Envoyer l'invitation",
    "contacts.invited": "Invitation envoyée : elle prendra effet quand la personne l'acceptera.",
    "contacts.accept": "Accepter",
    "contacts.refuse": "Refuser",
    "contacts.accepted": "Invitation acceptée : le produit est dans « Gérés pour d'autres ».",
    "contacts.refused": "Invitation refusée.",
    "contacts.revoke": "Retirer l'accès",
    "contacts.revoke_title": "Retirer l'accès de ce contact ?",
    "contacts.revoke_text": "L'accès est retiré immédiatement, pages ouvertes comprises :",
    "contacts.keep": "Garder",
    "contacts.revoke_confirm": "Retirer l'accès",
    "contacts.revoked": "Accès retiré.",
    "contacts.not_found": "Cette invitation ou ce contact n'existe plus (page périmée ?).",
    "contacts.managed_for": "Vous gérez ce produit pour",
    "contacts.access_removed": (
        "Accès retiré : le titulaire de ce produit vous a retiré l'accès. "
        "Vous ne pouvez plus le voir ni le modifier."
    ),
    "contacts.staff_title": "Contacts (dans les deux sens)",
    "services.managed": "Gérés pour d'autres",
    "error.contact_unknown": "Aucun compte client n'utilise cette adresse.",
    "error.contact_self": "C'est votre propre adresse : vous avez déjà tous les droits.",
    "error.contact_disabled": "Ce compte client est désactivé : il ne peut pas être invité.",
    "error.contact_duplicate": "Ce compte est déjà invité ou contact sur ce produit.",
    "error.contact_product_closed": "Ce produit est terminé : on ne peut plus y inviter.",
    "error.contact_not_pending": "Cette invitation n'attend plus de réponse.",
    "error.contact_not_open": "Ce contact n'a déjà plus accès.",
    "mailkind.contact_invited": "Invitation comme contact",
    "mailkind.contact_action": "Action d'un contact (au titulaire)",
    "mailkind.contact_revoked": "Accès de contact retiré",
    "event.contact.invited": "Contact invité",
    "event.contact.accepted": "Invitation de contact acceptée",
    "event.contact.refused": "Invitation de contact refusée",
    "event.contact.revoked": "Accès de contact retiré",
    "audit.say.contact.invited": "{who} a invité un contact sur {target}",
    "audit.say.contact.accepted": "{who} a accepté d'être contact de {target}",
    "audit.say.contact.refused": "{who} a refusé d'être contact de {target}",
    "audit.say.contact.revoked": "{who} a retiré l'accès d'un contact à {target}",
}

EN: dict[str, str] = {
    "nav.contacts": "Contacts",
    "contacts.intro": (
        "Hand a product over to your webmaster or agency: invite their customer account as "
        "technical contact (they see the product, can change a domain's name servers and "
        "open tickets about it) or administrative contact (they may also renew it and pay "
        "for it). They never see your invoices, cards or personal details. You see "
        "everything they do and can take their access back at any time. A webmaster may "
        "also order for you: you accept their order here."
    ),
    "contacts.mine": "My contacts",
    "contacts.mine_hint": "The accounts you invited on your products.",
    "contacts.mine_none": "No contact on your products.",
    "contacts.invitations": "Invitations received",
    "contacts.invitations_none": "No invitation waiting.",
    "contacts.clients": "Clients I work for",
    "contacts.clients_none": "You work for no client.",
    "contacts.actions": "What your contacts did",
    "contacts.actions_none": "Nothing done by your contacts yet.",
    "contacts.action": "Action",
    "contacts.details": "Details",
    "contacts.product": "Product",
    "contacts.holder": "Holder",
    "contacts.contact": "Contact",
    "contacts.email": "Email address of their customer account",
    "contacts.role": "Role",
    "contacts.role.technical": "technical contact",
    "contacts.role.administrative": "administrative contact",
    "contacts.role_technical_hint": (
        "Technical contact: sees the product, changes name servers, opens tickets. They "
        "see neither your invoices, your cards nor your details, and do not renew."
    ),
    "contacts.status.invited": "Invited",
    "contacts.status.active": "Active",
    "contacts.status.refused": "Refused",
    "contacts.status.revoked": "Revoked",
    "contacts.action.accepted": "accepted the invitation",
    "contacts.action.refused": "refused the invitation",
    "contacts.action.nameservers_changed": "changed the name servers",
    "contacts.action.ticket_opened": "opened a ticket",
    "contacts.invite_title": "Invite a contact",
    "contacts.invite_hint": (
        "The person needs a customer account: they receive an email and accept from their own area."
    ),
    "contacts.invite": "Send the invitation",
    "contacts.invited": "Invitation sent: it takes effect when the person accepts it.",
    "contacts.accept": "Accept",
    "contacts.refuse": "Refuse",
    "contacts.accepted": "Invitation accepted: the product is under “Managed for others”.",
    "contacts.refused": "Invitation refused.",
    "contacts.revoke": "Revoke access",
    "contacts.revoke_title": "Revoke this contact's access?",
    "contacts.revoke_text": "Access ends at once, open pages included:",
    "contacts.keep": "Keep",
    "contacts.revoke_confirm": "Revoke access",
    "contacts.revoked": "Access revoked.",
    "contacts.not_found": "This invitation or contact no longer exists (stale page?).",
    "contacts.managed_for": "You manage this product for",
    "contacts.access_removed": (
        "Access removed: the holder of this product took your access back. "
        "You can no longer see or change it."
    ),
    "contacts.staff_title": "Contacts (both ways)",
    "services.managed": "Managed for others",
    "error.contact_unknown": "No customer account uses this address.",
    "error.contact_self": "This is your own address: you already have every right.",
    "error.contact_disabled": "This customer account is disabled: it cannot be invited.",
    "error.contact_duplicate": "This account is already invited or a contact on this product.",
    "error.contact_product_closed": "This product has ended: nobody can be invited on it.",
    "error.contact_not_pending": "This invitation no longer waits for an answer.",
    "error.contact_not_open": "This contact has no access any more.",
    "mailkind.contact_invited": "Invitation as a contact",
    "mailkind.contact_action": "A contact's action (to the holder)",
    "mailkind.contact_revoked": "Contact access revoked",
    "event.contact.invited": "Contact invited",
    "event.contact.accepted": "Contact invitation accepted",
    "event.contact.refused": "Contact invitation refused",
    "event.contact.revoked": "Contact access revoked",
    "audit.say.contact.invited": "{who} invited a contact on {target}",
    "audit.say.contact.accepted": "{who} accepted to be a contact of {target}",
    "audit.say.contact.refused": "{who} refused to be a contact of {target}",
    "audit.say.contact.revoked": "{who} revoked a contact's access to {target}",
}
