"""crankcall: drafts CRANK Call, a monthly sourced review of cooperation and contention among
China, Russia, Iran and North Korea, and keeps the coded data behind it."""

__version__ = "0.1.0"
