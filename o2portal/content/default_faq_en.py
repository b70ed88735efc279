"""The default FAQ in English: entry for entry the French one (default_faq.py), in the
same order, naming the pages and buttons as the English pages do. Plain (topic,
question, answer) triples; default_faq.py makes them FaqItems."""

from __future__ import annotations

ACCOUNT = "Account"
BILLING = "Billing and payment"
RENEWAL = "Renewal and expiry"
DOMAINS = "Domain names"
HOSTING = "Hosting"
SUPPORT = "Support"

ITEMS: list[tuple[str, str, str]] = [
    # --- Account ----------------------------------------------------------
    (
        ACCOUNT,
        "How do I create my customer account?",
        """\
Click **Create an account** on the sign-in page, then fill in:

1. the **account type**: individual, company or non-profit;
2. your first and last name; for a company or a non-profit, its name, the
   **SIRET** and, if you have one, the **EU VAT number**;
3. your email address, your phone number and your postal address;
4. a password of at least 10 characters;
5. your acceptance of the terms and conditions of sale.

You receive the email **"Your o2portal customer account"** at once: it reminds you
of your sign-in name (your email address) — never your password — and holds a
link to confirm your address. Until it is confirmed, a banner on the **Dashboard**
reminds you of it.""",
    ),
    (
        ACCOUNT,
        "I lost my password: how do I reset it?",
        """\
On the sign-in page, click **"Forgot your password?"** and enter the email address
of your account. For security, the answer shown is the same whether or not the
address belongs to an account.

You receive a link **usable once, valid for 1 hour**. It lets you choose a new
password; all your other open sessions are then closed.

- No email? Look in your spam folder, then ask again.
- You no longer know which address you used? Search your mailbox for the email
  "Your o2portal customer account" received when you signed up.
- Our team cannot tell you your password: it is never stored in clear.""",
    ),
    (
        ACCOUNT,
        "How do I change my password and secure my account?",
        """\
Go to **My details**:

- **Password**: type the current one, then the new one (10 characters at least).
  Your other devices are signed out.
- **Two-factor authentication**: turn on a one-time code (a TOTP app such as
  FreeOTP, Aegis or Google Authenticator). Keep the recovery codes, which are
  shown only once.
- **Open sessions**: see each device, its IP address and its last activity, and
  click **"Sign out every other session"** if in doubt.""",
    ),
    (
        ACCOUNT,
        "How do I change my email address, phone number or postal address?",
        """\
Everything is done in **My details**. Keep these details up to date: they are how
we reach you if you lose your password, and **every expiry reminder goes out by
email**. A wrong address means the risk of missing an expiry.

A new email address replaces the old one only once the link sent to the new
address has been clicked; the old address is told of the change. The phone
number is checked (international format, country).""",
    ),
    (
        ACCOUNT,
        "How do I transfer the ownership of a product to someone else?",
        """\
A hosting account, a domain name, a server or a certificate can change holder
(a business sold, a change of provider, an individual moving to their company…).
It is free and done from your customer area:

1. The **new holder** creates their own customer account if they have none.
2. The **current holder** opens the product (**My services**, then the product)
   and, under **Change the holder**, enters the email address of the account that
   is to receive it, ticks the confirmation and clicks **Offer the change**.
3. The recipient is told by email; they **accept** or **refuse** from **Changes of
   holder** (a reminder shows on their dashboard). Without an answer within
   **14 days**, the offer expires. While it waits, the current holder can cancel it.

On acceptance, the product moves to the new holder's account with its expiry date
and options; **auto-renewal is turned off** until they turn it on. Both accounts
are told by email. For a domain name, the change of holder is also declared to the
registry (for `.fr`, to Afnic). Invoices already issued stay in the former holder's
name; the following renewals are billed to the new one.

A **suspended** product, one whose **renewal order form is unpaid** or one with a
**payment pending** (card, transfer, cheque) cannot change holder until that is
settled: the product's page says why.""",
    ),
    (
        ACCOUNT,
        "How do I download or delete my personal data (GDPR)?",
        """\
In **My details**, tab **My data**, **Download my data** gives you everything we
hold about you (details, products, orders, invoices, payments, tickets, emails,
sign-ins), as a JSON file.

In the same place, **Delete my account** erases your personal data and ends your
access, once no service is active and everything is paid. Invoices are kept for
the legal period (10 years), even after the account is deleted.""",
    ),
    # --- Billing and payment ----------------------------------------------
    (
        BILLING,
        "Which payment methods do you accept?",
        """\
- **Card**: immediate payment, the product is delivered at once. You can save the
  card for auto-renewal (we keep only its last 4 digits).
- **Bank transfer**: the order form stays *pending* until the transfer arrives;
  give the order number as the transfer's reference.
- **Cheque**: payable to O2Portal SAS, sent to 12 rue de l'Hébergement,
  63000 Clermont-Ferrand, with the order number on the back.
- **Account credit**: a refund or a credit note credited to your account can pay
  for all or part of an order.

For a transfer or a cheque, the product is delivered as soon as our team has
recorded the payment.""",
    ),
    (
        BILLING,
        "How do I get an invoice?",
        """\
Each payment makes a numbered **invoice** (for example `F2026-000123`), available
at once under **Invoices**, where you can **download it as a PDF**. A product's
invoices are also listed on its page, under **My services**.

Before payment, you see an **order form** (status *unpaid*): it is not an invoice,
and you can pay it from **Invoices → Pay**.

An issued invoice can no longer be changed: a correction or a refund is made by a
**credit note**, which you can download too.""",
    ),
    (
        BILLING,
        "How does VAT apply to a company's invoice?",
        """\
Our prices are shown **before tax (HT)**; each invoice details the amount before
tax (HT), the VAT (TVA) and the total including tax (TTC).

| Customer | VAT applied |
|---|---|
| Individual or business established in **France** | 20 % |
| **EU business** outside France, with a valid VAT number | 0 % (reverse charge) |
| Customer established **outside the European Union** | 0 % |

Under reverse charge, the invoice carries the mention *"Autoliquidation – article
283-2 du CGI / article 196 de la directive 2006/112/CE"*: you account for the VAT
in your own country.

Enter your VAT number in **My details** **before** ordering: it is checked, then
used for the following orders. An invoice already issued is not changed
afterwards.""",
    ),
    (
        BILLING,
        "Can I get a refund?",
        """\
**Individuals**: you have a **14-day right of withdrawal** from the order. Ask for
it with a ticket to the *billing* department. If, when ordering, you asked for the
service to start before the end of that period, the refund is reduced by the part
of the service already provided. The registration of a domain name, carried out
at once with the registry, cannot be cancelled.

**Businesses**: the right of withdrawal does not apply; a goodwill gesture remains
possible when a problem was our fault.

Every refund comes with a **credit note** (shown under **Invoices**) and is paid
back to the card used, by bank transfer or as account credit.""",
    ),
    (
        BILLING,
        "My card payment was declined: what now?",
        """\
Nothing is charged when a card is declined, and your order form stays available
under **Invoices**: click **Pay** to try again with another card, or choose bank
transfer or cheque. One order form can never be paid twice.""",
    ),
    # --- Renewal and expiry -----------------------------------------------
    (
        RENEWAL,
        "Can I renew a product early?",
        """\
Yes, and **you lose nothing**: the renewal is added to the **current expiry
date**, not to today's date.

*Example*: a domain expiring on 15 March 2027, renewed for 1 year on
2 January 2027, then expires on 15 March 2028.

Under **My services**, open the product and click **Renew**: choose 1, 2 or
3 years; the price and the new expiry date are shown before payment. A hosting
account that has already expired starts again from today.""",
    ),
    (
        RENEWAL,
        "How does auto-renewal work?",
        """\
Turn it on product by product under **My services** (the *Auto-renewal* switch).
It needs a **saved card**.

- **15 days before the expiry date** (D-15), we make the renewal order form for
  1 year;
- **7 days before** (D-7), the saved card is charged and the invoice is sent to
  you.

If the payment fails, you are told by email and the product goes back to manual
renewal: just pay the order form from **Invoices**. You can turn auto-renewal off
at any time.""",
    ),
    (
        RENEWAL,
        "When are expiry reminders sent?",
        """\
A reminder email goes out for each product **60, 30, 15, 7 and 1 day(s)** before
the expiry date, **on the day itself** and **7 days after** (D-60, D-30, D-15, D-7,
D-1, D0, D+7). Each reminder is sent only once per expiry date.

Products coming up for expiry are also shown on your **Dashboard**. Check that
your email address is right in **My details**.""",
    ),
    (
        RENEWAL,
        "What happens if I do not renew in time?",
        """\
**Hosting**: the account is **suspended on the expiry date** (site and email out
of reach, data kept), then **deleted 30 days later**. A renewal during the
suspension brings it back at once.

**Domain name**:

- up to **30 days** after the expiry date, it renews **at the normal price**;
- from the 31st to the **50th day**, it can still be **restored**, with a
  restoration fee;
- after that, it is released and anyone can register it.""",
    ),
    # --- Domain names -----------------------------------------------------
    (
        DOMAINS,
        "How do I get the transfer code (AuthCode) of my domain name?",
        """\
Under **My services**, open the domain name, then click **"Show the transfer
code"**. Give this code (also called *EPP* or *AuthInfo* code) to the provider that
is to receive the domain.

Before the outgoing transfer, **turn off the transfer lock** (*registrar lock*) on
the same page; turn it on again if you change your mind. The registry refuses the
transfer if the domain expires in the next few days: renew it first.""",
    ),
    (
        DOMAINS,
        "How do I transfer a domain name to you?",
        """\
In **Order → Domain name**, type the domain, choose **Transfer this domain** and
give the **transfer code** from your current provider (remember to remove the
transfer lock there). The transfer price includes **one year of renewal**, added
to the current expiry date: you do not lose the period already paid for.""",
    ),
    (
        DOMAINS,
        "Who are the technical and administrative contacts of my domain?",
        """\
A **contact** is another customer account to which you entrust one of your
products (domain, hosting, server): your web agency, your webmaster, your IT
department. You do it all yourself, from the **Contacts** page:

1. Your webmaster creates their own customer account if they have none: each keeps
   their own sign-in details, you never share yours.
2. In **Contacts → Invite a contact**, choose the product and the role, and enter
   the email address of their customer account. They receive the invitation by email.
3. They accept it from **their** area, on the **Contacts** page. The product then
   shows in their **My services → Managed for others**.

A **technical contact** sees the product, changes a domain's name servers and
opens tickets about it. An **administrative contact** can also **renew it and pay
with their own means of payment**: the order form and the invoice stay in your name,
and your saved card is never used for them. Neither sees your invoices, your means
of payment or your details.

Your webmaster can also **order for you**: in **Order**, they choose "For a client"
and enter the email address of your account. Nothing is paid at that point: you
receive an email and see the order in **Contacts → Orders proposed for my account**,
at the price worked out for you (your country, your VAT number). Accept or refuse it
within 14 days. Once accepted, the order form is in your name; your webmaster pays
it (or you do, from **Invoices**), the product is created in your account, the
invoice is made out to you and they become the product's administrative contact.

Every action of a contact is reported to you by email and stays visible in
**Contacts → What your contacts did**. The **Revoke access** button ends their
access at once, open pages included; **Take back their right to pay** does the same
for an accepted order they have not paid yet.

At the registry, the holder and the administrative contact of a domain remain the
details in **My details**; the technical contact declared is O2Portal, which runs
the name servers and the registration for you. To change the holder, see *"How do
I transfer the ownership of a product"*.""",
    ),
    (
        DOMAINS,
        "How do I change the name servers of my domain?",
        """\
Under **My services**, open the domain: the **Name servers** section lists the
current servers (by default `ns1.o2portal.example` and `ns2.o2portal.example`).
Change them, then save; the change spreads in a few minutes to 48 hours.""",
    ),
    # --- Hosting ----------------------------------------------------------
    (
        HOSTING,
        "What is the difference between the Grow, Cloud and Pro plans?",
        """\
They are **one offer** in three levels of resources (disk space, processors,
memory). All include email, databases and SSL certificates, and **a domain name
free for the first year** among `.com`, `.net`, `.org`, `.fr`, `.be` and `.eu`.

Order it in **Order → Hosting**, for 1, 2 or 3 years; the details and prices of
each plan are shown there.""",
    ),
    (
        HOSTING,
        "How do I order an SSL certificate?",
        """\
In **Order → SSL certificate**, choose the offer: **DV** (one name, for example
`www.my-site.com`), **DV Wildcard** (the domain and all its subdomains, for a
domain managed in your account) or **OV** (your organisation's name written in the
certificate). Each is valid for one year.

Paste your certificate signing request (CSR) if you have one; otherwise we make
the private key for you: it downloads **only once** from the certificate's page,
then we erase it.

After payment, the certificate's page (**My services**) shows the DNS record of
type TXT that proves the domain is yours. If the domain is managed in your account,
we create it ourselves and the certificate is issued within moments; otherwise,
create it at your DNS host, then click **Verify**. The certificate and its chain
then download in PEM format. It renews like your other services, for one more
year.""",
    ),
    (
        HOSTING,
        "Where do I find my hosting credentials?",
        """\
Under **My services**, open your hosting: you find the account's **username**, the
**server** it is on and your quotas (disk space, email accounts, databases). The
control panel password was sent to you when the account was created; it is never
shown in the customer area.""",
    ),
    (
        HOSTING,
        "What happens when my hosting expires?",
        """\
On the expiry date, the account is **suspended**: the site and the email no longer
answer, but your files and databases are kept. You have **30 days** to renew it
from **My services**; it is then brought back at once and the new period starts
from today. After that, the account and its data are deleted.""",
    ),
    # --- Support ----------------------------------------------------------
    (
        SUPPORT,
        "How do I contact support?",
        """\
From **Tickets → New ticket**: give a subject, the **department** (*technical*,
*billing* or *sales*), the priority, the product concerned and your message.
Replies show in the ticket's thread, **live** if the page is open, and you are told
of them by email.

A ticket goes through the statuses *open → answered → awaiting your reply →
closed*; you can reopen it by replying.""",
    ),
    (
        SUPPORT,
        "How do I attach code or error logs to a ticket?",
        """\
No need for an outside service such as *pastebin*: messages take **Markdown**.
Put your code between three backticks, naming the language, to have it
highlighted:

````markdown
```php
<?php echo phpversion(); ?>
```
````

You can also **attach text files** (`.txt`, `.log`) to your message. Never paste a
password in a ticket.""",
    ),
]
