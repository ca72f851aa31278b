"""The rules: the engine-neutral model, its loader, three-valued logic, the compiler to durable."""
