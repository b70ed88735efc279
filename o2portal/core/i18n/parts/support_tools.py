"""Staff's support tools: notes on a customer, canned replies, escalation rules, the
queue's search and a ticket opened for a customer."""

FR: dict[str, str] = {
    "admin.nav_support": "Réponses types et escalade",
    "support_tools.title": "Réponses types et escalade",
    "support_tools.any_department": "Tous les départements",
    "support_tools.canned_title_section": "Réponses types",
    "support_tools.canned_intro": (
        "Des textes que le support insère dans ses réponses depuis la page d'un ticket. "
        "Les variables sont remplacées pour le ticket en cours."
    ),
    "support_tools.canned_title": "Titre",
    "support_tools.canned_text": "Texte",
    "support_tools.canned_new": "Nouvelle réponse type",
    "support_tools.canned_edit": "Modifier la réponse type",
    "support_tools.canned_none": "Aucune réponse type pour l'instant.",
    "support_tools.canned_saved": "Réponse type enregistrée.",
    "support_tools.canned_delete_title": "Supprimer cette réponse type ?",
    "support_tools.variables": "Variables possibles :",
    "support_tools.save": "Enregistrer",
    "support_tools.close": "Fermer",
    "support_tools.edit": "Modifier",
    "support_tools.delete": "Supprimer",
    "support_tools.rules_title": "Règles d'escalade",
    "support_tools.rules_intro": (
        "Un ticket ouvert (en attente du support) du département et de la priorité d'une "
        "règle, sans réponse depuis plus longtemps que son délai, est envoyé par email à "
        "chaque administrateur et marqué « Escaladé » dans la file. La réponse suivante "
        "du support lève la marque."
    ),
    "support_tools.after": "Sans réponse depuis",
    "support_tools.hours": "Délai (heures)",
    "support_tools.rule_new": "Nouvelle règle",
    "support_tools.rule_add": "Ajouter la règle",
    "support_tools.rule_added": "Règle ajoutée.",
    "support_tools.rules_none": "Aucune règle : aucun ticket n'est escaladé.",
    "support_tools.rule_delete_title": "Supprimer cette règle ?",
    "support_tools.rule_delete_text": "Les tickets qu'elle visait ne seront plus escaladés.",
    "support_tools.canned_insert": "Insérer une réponse type",
    "support_tools.canned_pick": "Choisir…",
    "support_tools.notes": "Notes sur le client",
    "support_tools.notes_none": "Aucune note.",
    "support_tools.note_add": "Ajouter la note",
    "support_tools.note_label": "Nouvelle note (visible du personnel seulement)",
    "support_tools.note_added": "Note ajoutée.",
    "support_tools.note_remove": "Retirer",
    "support_tools.note_remove_title": "Retirer cette note ?",
    "support_tools.note_by": "par",
    "support_tools.open_ticket": "Ouvrir un ticket pour ce client",
    "support_tools.open_ticket_intro": (
        "Le client reçoit votre message par email et le ticket attend sa réponse."
    ),
    "support_tools.open_ticket_send": "Ouvrir le ticket",
    "support_tools.escalated": "Escaladé",
    "support_tools.assigned_escalated": "Escaladés",
    "support_tools.search": "Rechercher un ticket",
    "support_tools.search_hint": "Numéro, mots du sujet ou des messages, client, domaine",
    "error.template_syntax": (
        "Un $ doit être suivi d'un nom de variable entre accolades, comme ${prenom} ; "
        "écrivez $$ pour un dollar."
    ),
    "error.template_unknown": "Ce texte utilise une variable inconnue.",
    "error.title_taken": "Ce titre est déjà pris.",
    "error.number": "Indiquez un nombre, par exemple 4 ou 0,5.",
    "error.escalation_hours": "Indiquez un délai entre 0,25 et 168 heures.",
    "error.escalation_exists": "Une règle existe déjà pour ce département et cette priorité.",
    "mailkind.ticket_escalated": "Ticket escaladé (aux administrateurs)",
    "mailkind.ticket_opened_for_you": "Ticket ouvert par le support",
}

EN: dict[str, str] = {
    "admin.nav_support": "Canned replies and escalation",
    "support_tools.title": "Canned replies and escalation",
    "support_tools.any_department": "Every department",
    "support_tools.canned_title_section": "Canned replies",
    "support_tools.canned_intro": (
        "Texts support inserts into their answers from a ticket's page. The variables "
        "are filled in for the ticket at hand."
    ),
    "support_tools.canned_title": "Title",
    "support_tools.canned_text": "Text",
    "support_tools.canned_new": "New canned reply",
    "support_tools.canned_edit": "Edit the canned reply",
    "support_tools.canned_none": "No canned reply yet.",
    "support_tools.canned_saved": "Canned reply saved.",
    "support_tools.canned_delete_title": "Delete this canned reply?",
    "support_tools.variables": "Variables you may use:",
    "support_tools.save": "Save",
    "support_tools.close": "Close",
    "support_tools.edit": "Edit",
    "support_tools.delete": "Delete",
    "support_tools.rules_title": "Escalation rules",
    "support_tools.rules_intro": (
        "An open ticket (waiting for support) of a rule's department and priority, "
        "unanswered for longer than its delay, is emailed to every admin and marked "
        "\u201cEscalated\u201d in the queue. Support's next reply clears the mark."
    ),
    "support_tools.after": "Unanswered for",
    "support_tools.hours": "Delay (hours)",
    "support_tools.rule_new": "New rule",
    "support_tools.rule_add": "Add the rule",
    "support_tools.rule_added": "Rule added.",
    "support_tools.rules_none": "No rule: no ticket escalates.",
    "support_tools.rule_delete_title": "Delete this rule?",
    "support_tools.rule_delete_text": "The tickets it covered will no longer escalate.",
    "support_tools.canned_insert": "Insert a canned reply",
    "support_tools.canned_pick": "Choose…",
    "support_tools.notes": "Notes on the customer",
    "support_tools.notes_none": "No note.",
    "support_tools.note_add": "Add the note",
    "support_tools.note_label": "New note (staff only)",
    "support_tools.note_added": "Note added.",
    "support_tools.note_remove": "Remove",
    "support_tools.note_remove_title": "Remove this note?",
    "support_tools.note_by": "by",
    "support_tools.open_ticket": "Open a ticket for this customer",
    "support_tools.open_ticket_intro": (
        "The customer receives your message by email and the ticket awaits their answer."
    ),
    "support_tools.open_ticket_send": "Open the ticket",
    "support_tools.escalated": "Escalated",
    "support_tools.assigned_escalated": "Escalated",
    "support_tools.search": "Search tickets",
    "support_tools.search_hint": "Number, words of the subject or messages, customer, domain",
    "error.template_syntax": (
        "A $ must be followed by a variable name in braces, like ${prenom}; write $$ for "
        "a dollar sign."
    ),
    "error.template_unknown": "This text uses an unknown variable.",
    "error.title_taken": "This title is already taken.",
    "error.number": "Enter a number, for example 4 or 0.5.",
    "error.escalation_hours": "Give a delay between 0.25 and 168 hours.",
    "error.escalation_exists": "There is already a rule for this department and priority.",
    "mailkind.ticket_escalated": "Ticket escalated (to the admins)",
    "mailkind.ticket_opened_for_you": "Ticket opened by support",
}

FR.update(
    {
        "admin.new_customer": "Nouveau client",
        "admin.new_customer_intro": (
            "Le client reçoit par email un lien pour choisir son mot de passe (valable 72 "
            "heures), qui confirme aussi son adresse."
        ),
        "admin.new_customer_create": "Créer le compte",
        "admin.language": "Langue des emails",
        "mailkind.account_opened": "Compte ouvert par le support",
        "audit.say.staff.customer_created": "{who} a ouvert le compte de {target}",
    }
)
EN.update(
    {
        "admin.new_customer": "New customer",
        "admin.new_customer_intro": (
            "The customer is emailed a link to choose their password (valid for 72 hours), "
            "which also confirms their address."
        ),
        "admin.new_customer_create": "Create the account",
        "admin.language": "Language of the emails",
        "mailkind.account_opened": "Account opened by support",
        "audit.say.staff.customer_created": "{who} opened the account of {target}",
    }
)

FR.update(
    {
        "admin.bill_title": "Facturer un service hors catalogue",
        "admin.bill_intro": (
            "Un bon de commande est créé au nom du client, avec sa TVA, et lui est envoyé "
            "avec les moyens de paiement. Réglé (carte sur « Factures », virement ou chèque "
            "enregistré ici), il devient une facture numérotée comme les autres."
        ),
        "admin.bill_description": "Désignation",
        "admin.bill_quantity": "Quantité",
        "admin.bill_price": "Prix unitaire HT (€)",
        "admin.bill_send": "Créer et envoyer le bon de commande",
        "admin.bill_done": "Bon de commande {reference} créé et envoyé au client.",
        "error.quantity_range": "Indiquez une quantité entre 1 et 999.",
        "error.manual_total": "Le total dépasse 100 000 € HT : faites plusieurs bons de commande.",
        "audit.say.staff.manual_order": "{who} a facturé des services hors catalogue par {target}",
    }
)
EN.update(
    {
        "admin.bill_title": "Bill a service outside the catalogue",
        "admin.bill_intro": (
            "An order form is made out to the customer, at their VAT, and sent to them with "
            "the ways to pay. Once paid (by card on \u201cInvoices\u201d, or a transfer or "
            "cheque recorded here), it becomes an invoice numbered like the others."
        ),
        "admin.bill_description": "Description",
        "admin.bill_quantity": "Quantity",
        "admin.bill_price": "Unit price excl. VAT (€)",
        "admin.bill_send": "Create and send the order form",
        "admin.bill_done": "Order form {reference} created and sent to the customer.",
        "error.quantity_range": "Enter a quantity between 1 and 999.",
        "error.manual_total": "The total is over €100,000 excl. VAT: make several order forms.",
        "audit.say.staff.manual_order": "{who} billed services outside the catalogue with {target}",
    }
)

FR.update(
    {
        "admin.nav_staff": "Personnel",
        "staff.title": "Comptes du personnel",
        "staff.intro": (
            "Le support lit les fiches et traite les tickets ; les administrateurs font le "
            "reste. Un compte désactivé ne peut plus se connecter et ses sessions sont "
            "fermées aussitôt."
        ),
        "staff.second_factor": "Double authentification",
        "staff.second_factor_on": "Activée",
        "staff.second_factor_off": "Non activée",
        "staff.role": "Rôle",
        "staff.role_admin": "Administrateur",
        "staff.role_support": "Support",
        "staff.state": "État",
        "staff.make_admin": "Passer administrateur",
        "staff.make_support": "Passer support",
        "staff.disable": "Désactiver",
        "staff.enable": "Réactiver",
        "staff.disable_title": "Désactiver ce compte du personnel ?",
        "staff.new": "Nouveau membre du personnel",
        "staff.create": "Créer le compte",
        "staff.created": "Compte créé : un lien pour choisir son mot de passe lui a été envoyé.",
        "error.staff_self": "Vous ne pouvez pas changer votre propre compte ici.",
        "error.last_admin": "Il doit rester au moins un administrateur actif.",
        "mailkind.staff_account_opened": "Compte du personnel ouvert",
        "audit.say.staff.member_created": "{who} a ouvert le compte du personnel de {target}",
        "audit.say.staff.member_role": "{who} a changé le rôle de {target}",
        "audit.say.staff.member_disabled": "{who} a désactivé le compte du personnel de {target}",
        "audit.say.staff.member_enabled": "{who} a réactivé le compte du personnel de {target}",
        "audit.say.staff.member_second_factor_reset": (
            "{who} a réinitialisé la double authentification de {target}"
        ),
        "staff.reset_second_factor": "Réinitialiser la double authentification",
        "staff.reset_second_factor_title": "Réinitialiser sa double authentification ?",
        "staff.reset_second_factor_text": (
            "Son application et ses codes de secours ne serviront plus, ses sessions sont "
            "fermées, et l'espace du personnel lui reste fermé jusqu'à ce qu'il la réactive."
        ),
        "staff.second_factor_reset_done": (
            "Double authentification réinitialisée : un email le lui dit."
        ),
        "error.staff_second_factor_off": "Sa double authentification n'est pas activée.",
        "mailkind.staff_second_factor_reset": "Double authentification réinitialisée",
    }
)
EN.update(
    {
        "admin.nav_staff": "Staff",
        "staff.title": "Staff accounts",
        "staff.intro": (
            "Support reads customers' files and works tickets; admins do the rest. A "
            "disabled account can no longer sign in and its sessions end at once."
        ),
        "staff.second_factor": "Second factor",
        "staff.second_factor_on": "On",
        "staff.second_factor_off": "Not set up",
        "staff.role": "Role",
        "staff.role_admin": "Admin",
        "staff.role_support": "Support",
        "staff.state": "State",
        "staff.make_admin": "Make admin",
        "staff.make_support": "Make support",
        "staff.disable": "Disable",
        "staff.enable": "Enable",
        "staff.disable_title": "Disable this staff account?",
        "staff.new": "New staff member",
        "staff.create": "Create the account",
        "staff.created": "Account created: a link to choose their password was sent to them.",
        "error.staff_self": "You cannot change your own account here.",
        "error.last_admin": "At least one active admin must remain.",
        "mailkind.staff_account_opened": "Staff account opened",
        "audit.say.staff.member_created": "{who} opened the staff account of {target}",
        "audit.say.staff.member_role": "{who} changed the role of {target}",
        "audit.say.staff.member_disabled": "{who} disabled the staff account of {target}",
        "audit.say.staff.member_enabled": "{who} enabled the staff account of {target} again",
        "audit.say.staff.member_second_factor_reset": "{who} reset the second factor of {target}",
        "staff.reset_second_factor": "Reset second factor",
        "staff.reset_second_factor_title": "Reset their second factor?",
        "staff.reset_second_factor_text": (
            "Their app and recovery codes stop working, their sessions end, and the staff "
            "area stays closed to them until they turn it on again."
        ),
        "staff.second_factor_reset_done": "Second factor reset: an email tells them.",
        "error.staff_second_factor_off": "Their second factor is not on.",
        "mailkind.staff_second_factor_reset": "Second factor reset",
    }
)
