"""rashomon: news coverage of contested events -> incidents, attributed claims and disputes."""

__version__ = "0.1.0"
