"""Shipping the trained pipeline: a pip-installable wheel, its model card, and its speed.

Kept free of imports at package level: the benchmark's worker script lives
here and must run in environments where only spaCy is installed.
"""
