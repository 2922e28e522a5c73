"""csto-events: event extraction (missions, meetings and their arguments) from news."""
__version__ = "0.1.0"
