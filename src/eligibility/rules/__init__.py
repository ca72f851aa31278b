"""The rule model, its loader and its compiler to durable-rules."""
