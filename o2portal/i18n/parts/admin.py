"""Messages of the staff area."""

FR = {
    "admin.nav_dashboard": "Tableau de bord",
    "admin.nav_customers": "Clients",
    "admin.nav_products": "Produits",
    "admin.nav_invoices": "Factures",
    "admin.nav_tickets": "Tickets",
    "admin.nav_catalogue": "Catalogue et prix",
    "admin.nav_content": "FAQ et annonces",
    "admin.nav_emails": "Emails",
    "admin.nav_audit": "Journal",
    "admin.nav_settings": "Réglages",
    "admin.chart_revenue": "Chiffre d'affaires HT par mois (€)",
    "admin.chart_expiries": "Échéances par semaine (90 prochains jours)",
    "admin.chart_customers": "Nouveaux clients par mois",
    "admin.chart_tickets": "Tickets ouverts par service",
}

EN = {
    "admin.nav_dashboard": "Dashboard",
    "admin.nav_customers": "Customers",
    "admin.nav_products": "Products",
    "admin.nav_invoices": "Invoices",
    "admin.nav_tickets": "Tickets",
    "admin.nav_catalogue": "Catalogue and prices",
    "admin.nav_content": "FAQ and announcements",
    "admin.nav_emails": "Emails",
    "admin.nav_audit": "Audit log",
    "admin.nav_settings": "Settings",
    "admin.chart_revenue": "Revenue excl. VAT per month (€)",
    "admin.chart_expiries": "Expiries per week (next 90 days)",
    "admin.chart_customers": "New customers per month",
    "admin.chart_tickets": "Open tickets by department",
}
