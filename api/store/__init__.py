"""Reading and writing the domain objects in the tables."""
