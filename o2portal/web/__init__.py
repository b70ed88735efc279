"""The Reflex app: pages, states, components, HTTP routes. The only package importing reflex."""
