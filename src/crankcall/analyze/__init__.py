"""Analyze: find actors, dyads, relation, event type, topic and relevance in articles (pure)."""
