"""Ingest: read articles from files, feeds, pages and event files, and normalise them."""
