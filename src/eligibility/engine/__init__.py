"""Running the rules: the durable-rules adapter, the plain-Python interpreter, their result."""
