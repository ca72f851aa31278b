"""The web questionnaire: its routes and its HTML pages."""
