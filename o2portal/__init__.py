"""o2portal: the customer area of a web-hosting and domain-name provider."""
