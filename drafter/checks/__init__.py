"""Checks a reviewer would make: standards, targets and scores, evaluated from the facts."""
