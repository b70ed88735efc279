"""One module per route group; each page is registered in o2portal.o2portal."""
