"""Versioned data files shipped with crankcall: outlets, actors, cues, event types."""
