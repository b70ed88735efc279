"""What can be bought and at what price: hosting tiers, domain extensions, servers, promo codes."""
