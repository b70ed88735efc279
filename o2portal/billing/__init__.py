"""Money: the cart, order forms, checkout, payments, invoices, credit notes, PDFs, auto-renewal."""
