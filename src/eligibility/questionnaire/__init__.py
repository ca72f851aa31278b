"""The questionnaire: ask only the questions whose answer can still change the decision."""
