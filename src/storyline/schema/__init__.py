"""JSON Schema of the output contract."""
