"""The decision: the combination policy, the result model, the Evaluator, the answer space."""
