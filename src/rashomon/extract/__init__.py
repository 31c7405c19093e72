"""One article to mentions, claims, quantities, dates, places and events."""
