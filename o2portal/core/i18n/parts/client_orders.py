"""Administrative contacts: orders for a client (/order, /contacts), renewing and paying
as the holder's contact."""

FR: dict[str, str] = {
    # /order
    "order.for_whom": "Pour qui ?",
    "order.for_me": "Pour moi",
    "order.for_client": "Pour un client",
    "order.client_email": "Adresse email du compte client de votre client",
    "order.client_hint": (
        "Rien n'est payé maintenant : votre client reçoit un email et voit la commande sur "
        "son espace, au prix calculé pour lui (son pays, son numéro de TVA). S'il l'accepte, "
        "le bon de commande et la facture sont à son nom ; vous pouvez alors la payer avec "
        "vos propres moyens de paiement (ou lui), et vous devenez contact administratif du "
        "produit. Sans réponse, la proposition expire après 14 jours."
    ),
    "order.propose": "Proposer la commande au client",
    "order.proposed": (
        "Commande proposée à {email}. Suivez-la sur la page Contacts : vous pourrez la payer "
        "dès qu'il l'aura acceptée."
    ),
    # /contacts
    "client_orders.received": "Commandes proposées pour mon compte",
    "client_orders.received_hint": (
        "Un webmaster ou une agence propose de commander pour vous. Le produit et la facture "
        "seront à votre nom ; il pourra la payer, et deviendra contact administratif du "
        "produit (il pourra le renouveler). Vous pouvez lui retirer ce droit à tout moment."
    ),
    "client_orders.received_none": "Aucune commande proposée pour votre compte.",
    "client_orders.sent": "Mes commandes pour des clients",
    "client_orders.sent_hint": (
        "Commandez pour un client depuis la page Commander (« Pour un client »). Une fois "
        "acceptée, payez la commande ici avec vos propres moyens de paiement."
    ),
    "client_orders.sent_none": "Vous n'avez proposé aucune commande.",
    "client_orders.from": "Proposée par",
    "client_orders.client": "Client",
    "client_orders.what": "Commande",
    "client_orders.price": "Prix TTC",
    "client_orders.expires": "Répondre avant le",
    "client_orders.accept": "Accepter la commande",
    "client_orders.refuse": "Refuser",
    "client_orders.cancel": "Retirer la proposition",
    "client_orders.revoke": "Retirer son droit de payer",
    "client_orders.pay": "Payer",
    "client_orders.pay_to": "Payer pour le client",
    "client_orders.pay_title": "Payer la commande de {client}",
    "client_orders.pay_hint": (
        "Vous payez avec vos propres moyens de paiement. Le bon de commande et la facture "
        "sont au nom de votre client ; le produit est créé sur son compte et vous en "
        "devenez contact administratif."
    ),
    "client_orders.pay_at_invoices": "Payer",
    "client_orders.terms": "J'accepte les conditions générales de vente et cette commande.",
    "client_orders.withdrawal": (
        "Je demande l'exécution immédiate et renonce à mon droit de rétractation de 14 jours."
    ),
    "client_orders.accepted": (
        "Commande acceptée : le bon de commande est à votre nom. Il reste à la payer "
        "(par vous, depuis Factures, ou par la personne qui l'a proposée)."
    ),
    "client_orders.refused": "Commande refusée : rien n'est commandé.",
    "client_orders.cancelled": "Proposition retirée.",
    "client_orders.revoked": (
        "Droit retiré : cette personne ne peut plus payer cette commande ni devenir contact "
        "du produit. Le bon de commande reste à votre nom, à payer ou annuler depuis Factures."
    ),
    "client_orders.not_found": "Cette commande n'existe plus ou n'est pas la vôtre.",
    "client_orders.right_gone": (
        "Votre client vous a retiré le droit de payer cette commande : elle n'est plus à payer "
        "par vous."
    ),
    "client_orders.no_longer_payable": (
        "Cette commande n'est plus à payer par vous : payée par votre client, ou son bon de "
        "commande annulé."
    ),
    "client_orders.status.proposed": "En attente de réponse",
    "client_orders.status.accepted": "Acceptée, à payer",
    "client_orders.status.paid": "Payée",
    "client_orders.status.refused": "Refusée",
    "client_orders.status.expired": "Expirée",
    "client_orders.status.cancelled": "Retirée",
    "client_orders.status.revoked": "Droit de payer retiré",
    "client_orders.status.void": "Bon de commande annulé",
    "client_orders.waiting": "Un webmaster vous propose une commande :",
    "client_orders.waiting_link": "voir mes contacts",
    # mails
    "client_orders.news.accepted": "acceptée",
    "client_orders.news.refused": "refusée",
    "client_orders.news.cancelled": "proposition retirée",
    "client_orders.news.revoked": "droit de payer retiré",
    "client_orders.news.expired": "expirée",
    "client_orders.news.expired_client": "expirée",
    "client_orders.news.paid": "payée",
    "client_orders.news_detail.accepted": (
        "{name} a accepté votre commande. Le bon de commande est à son nom : payez-le depuis "
        "votre page Contacts, avec vos propres moyens de paiement, ou laissez-le lui payer."
    ),
    "client_orders.news_detail.refused": "{name} a refusé votre commande : rien n'est commandé.",
    "client_orders.news_detail.cancelled": (
        "{name} a retiré la commande qu'il vous proposait : rien n'est commandé."
    ),
    "client_orders.news_detail.revoked": (
        "{name} vous a retiré le droit de payer cette commande et d'être contact du produit. "
        "Le bon de commande reste le sien."
    ),
    "client_orders.news_detail.expired": (
        "{name} n'a pas répondu à votre commande dans les 14 jours : elle a expiré, rien "
        "n'est commandé."
    ),
    "client_orders.news_detail.expired_client": (
        "Vous n'avez pas répondu à la commande que {name} vous proposait : elle a expiré, "
        "rien n'est commandé."
    ),
    "client_orders.news_detail.paid": (
        "La commande de {name} est payée : le produit est créé sur son compte, et vous en "
        "êtes le contact administratif (Mes comptes, « Gérés pour d'autres »)."
    ),
    "mailkind.client_order_proposed": "Commande proposée par un webmaster",
    "mailkind.client_order_news": "Suivi d'une commande pour un client",
    # contacts' actions, as the holder reads them
    "contacts.action.client_order_paid": "a payé la commande qu'il vous a proposée",
    "contacts.action.renewed": "a renouvelé le produit",
    "contacts.action.renewal_by_transfer": "a commandé un renouvellement à payer par virement",
    "contacts.action.renewal_by_cheque": "a commandé un renouvellement à payer par chèque",
    "contacts.role_administrative_hint": (
        "Contact administratif : en plus, renouvelle le produit et le paie avec ses propres "
        "moyens de paiement ; les factures restent à votre nom et il ne les voit pas."
    ),
    "services.renew_for": "Renouveler",
    "renew.for_holder": (
        "Vous renouvelez pour le titulaire, avec vos propres moyens de paiement : le bon de "
        "commande et la facture sont à son nom, et il est prévenu par email."
    ),
    "pay.done_for_holder": "Paiement accepté. La facture est établie au nom du titulaire.",
    # errors
    "error.client_order_self": (
        "C'est votre propre adresse : pour vous-même, commandez « Pour moi »."
    ),
    "error.client_order_disabled": "Ce compte client est désactivé : rien ne peut lui être proposé.",
    "error.client_order_staff": "Cette adresse est celle d'un membre du personnel, pas d'un client.",
    "error.client_order_promo": (
        "Les codes promo ne valent que pour vos propres commandes : retirez-le pour proposer "
        "la commande à un client."
    ),
    "error.client_order_kind": (
        "Un certificat SSL se commande depuis le compte de son titulaire : retirez-le pour "
        "proposer la commande à un client."
    ),
    "error.client_order_closed": "Cette commande n'attend plus de réponse.",
    "error.client_order_not_revocable": "Cette commande n'est plus à payer : rien à retirer.",
    "error.agent_right_gone": (
        "Vous n'avez plus le droit de payer ce bon de commande : son titulaire vous l'a retiré."
    ),
    # audit log
    "audit.target.client_order": "la commande pour un client n° {id}",
    "audit.say.client_order.proposed": "{who} a proposé {target}",
    "audit.say.client_order.accepted": "{who} a accepté {target}",
    "audit.say.client_order.refused": "{who} a refusé {target}",
    "audit.say.client_order.cancelled": "{who} a retiré {target}",
    "audit.say.client_order.revoked": "{who} a retiré le droit de payer {target}",
    "audit.say.client_order.expired": "{who} : {target} a expiré sans réponse",
    "audit.say.contact.granted": "{who} : contact administratif désigné sur {target} (commande payée)",
    "event.contact.granted": "Contact administratif désigné (commande pour un client)",
}

EN: dict[str, str] = {
    # /order
    "order.for_whom": "For whom?",
    "order.for_me": "For me",
    "order.for_client": "For a client",
    "order.client_email": "Email address of your client's customer account",
    "order.client_hint": (
        "Nothing is paid now: your client receives an email and sees the order in their "
        "area, priced for them (their country, their VAT number). If they accept it, the "
        "order form and the invoice are in their name; you can then pay it with your own "
        "means of payment (or they can), and you become the product's administrative "
        "contact. Unanswered, the proposal expires after 14 days."
    ),
    "order.propose": "Propose the order to the client",
    "order.proposed": (
        "Order proposed to {email}. Follow it on the Contacts page: you can pay it as soon "
        "as they accept it."
    ),
    # /contacts
    "client_orders.received": "Orders proposed for my account",
    "client_orders.received_hint": (
        "A webmaster or an agency offers to order for you. The product and the invoice will "
        "be in your name; they may pay it, and become the product's administrative contact "
        "(they may renew it). You can take that right back at any time."
    ),
    "client_orders.received_none": "No order proposed for your account.",
    "client_orders.sent": "My orders for clients",
    "client_orders.sent_hint": (
        "Order for a client from the Order page (“For a client”). Once accepted, pay the "
        "order here with your own means of payment."
    ),
    "client_orders.sent_none": "You have proposed no order.",
    "client_orders.from": "Proposed by",
    "client_orders.client": "Client",
    "client_orders.what": "Order",
    "client_orders.price": "Price incl. VAT",
    "client_orders.expires": "Answer before",
    "client_orders.accept": "Accept the order",
    "client_orders.refuse": "Refuse",
    "client_orders.cancel": "Withdraw the proposal",
    "client_orders.revoke": "Take back their right to pay",
    "client_orders.pay": "Pay",
    "client_orders.pay_to": "Pay for the client",
    "client_orders.pay_title": "Pay {client}'s order",
    "client_orders.pay_hint": (
        "You pay with your own means of payment. The order form and the invoice are in "
        "your client's name; the product is created in their account and you become its "
        "administrative contact."
    ),
    "client_orders.pay_at_invoices": "Pay",
    "client_orders.terms": "I accept the terms and conditions of sale and this order.",
    "client_orders.withdrawal": (
        "I ask for immediate performance and waive my 14-day right of withdrawal."
    ),
    "client_orders.accepted": (
        "Order accepted: the order form is in your name. It remains to be paid (by you, "
        "from Invoices, or by the person who proposed it)."
    ),
    "client_orders.refused": "Order refused: nothing is ordered.",
    "client_orders.cancelled": "Proposal withdrawn.",
    "client_orders.revoked": (
        "Right taken back: this person can no longer pay this order nor become the "
        "product's contact. The order form stays in your name, to pay or cancel from Invoices."
    ),
    "client_orders.not_found": "This order no longer exists or is not yours.",
    "client_orders.right_gone": (
        "Your client took back your right to pay this order: it is no longer yours to pay."
    ),
    "client_orders.no_longer_payable": (
        "This order is no longer yours to pay: paid by your client, or its order form cancelled."
    ),
    "client_orders.status.proposed": "Awaiting an answer",
    "client_orders.status.accepted": "Accepted, to pay",
    "client_orders.status.paid": "Paid",
    "client_orders.status.refused": "Refused",
    "client_orders.status.expired": "Expired",
    "client_orders.status.cancelled": "Withdrawn",
    "client_orders.status.revoked": "Right to pay taken back",
    "client_orders.status.void": "Order form cancelled",
    "client_orders.waiting": "A webmaster proposes an order to you:",
    "client_orders.waiting_link": "see my contacts",
    # mails
    "client_orders.news.accepted": "accepted",
    "client_orders.news.refused": "refused",
    "client_orders.news.cancelled": "proposal withdrawn",
    "client_orders.news.revoked": "right to pay taken back",
    "client_orders.news.expired": "expired",
    "client_orders.news.expired_client": "expired",
    "client_orders.news.paid": "paid",
    "client_orders.news_detail.accepted": (
        "{name} accepted your order. The order form is in their name: pay it from your "
        "Contacts page, with your own means of payment, or let them pay it."
    ),
    "client_orders.news_detail.refused": "{name} refused your order: nothing is ordered.",
    "client_orders.news_detail.cancelled": (
        "{name} withdrew the order they proposed to you: nothing is ordered."
    ),
    "client_orders.news_detail.revoked": (
        "{name} took back your right to pay this order and to be the product's contact. "
        "The order form stays theirs."
    ),
    "client_orders.news_detail.expired": (
        "{name} did not answer your order within 14 days: it expired, nothing is ordered."
    ),
    "client_orders.news_detail.expired_client": (
        "You did not answer the order {name} proposed to you: it expired, nothing is ordered."
    ),
    "client_orders.news_detail.paid": (
        "{name}'s order is paid: the product is created in their account, and you are its "
        "administrative contact (My accounts, “Managed for others”)."
    ),
    "mailkind.client_order_proposed": "Order proposed by a webmaster",
    "mailkind.client_order_news": "News of an order for a client",
    # contacts' actions, as the holder reads them
    "contacts.action.client_order_paid": "paid the order they proposed to you",
    "contacts.action.renewed": "renewed the product",
    "contacts.action.renewal_by_transfer": "ordered a renewal to pay by bank transfer",
    "contacts.action.renewal_by_cheque": "ordered a renewal to pay by cheque",
    "contacts.role_administrative_hint": (
        "Administrative contact: also renews the product and pays for it with their own "
        "means of payment; the invoices stay in your name and they do not see them."
    ),
    "services.renew_for": "Renew",
    "renew.for_holder": (
        "You renew for the holder, with your own means of payment: the order form and the "
        "invoice are in their name, and they are told by email."
    ),
    "pay.done_for_holder": "Payment accepted. The invoice is made out to the holder.",
    # errors
    "error.client_order_self": "This is your own address: for yourself, order “For me”.",
    "error.client_order_disabled": "This customer account is disabled: nothing can be proposed to it.",
    "error.client_order_staff": "This address belongs to a staff member, not a customer.",
    "error.client_order_promo": (
        "Promo codes are for your own orders only: remove it to propose the order to a client."
    ),
    "error.client_order_kind": (
        "An SSL certificate is ordered from its holder's account: remove it to propose the "
        "order to a client."
    ),
    "error.client_order_closed": "This order no longer waits for an answer.",
    "error.client_order_not_revocable": "This order is no longer to pay: nothing to take back.",
    "error.agent_right_gone": (
        "You may no longer pay this order form: its holder took that right back."
    ),
    # audit log
    "audit.target.client_order": "the order for a client no. {id}",
    "audit.say.client_order.proposed": "{who} proposed {target}",
    "audit.say.client_order.accepted": "{who} accepted {target}",
    "audit.say.client_order.refused": "{who} refused {target}",
    "audit.say.client_order.cancelled": "{who} withdrew {target}",
    "audit.say.client_order.revoked": "{who} took back the right to pay {target}",
    "audit.say.client_order.expired": "{who}: {target} expired unanswered",
    "audit.say.contact.granted": "{who}: administrative contact named on {target} (order paid)",
    "event.contact.granted": "Administrative contact named (order for a client)",
}
