"""Package data: JSON schemas for what surveyor reads and writes."""
