"""Wire schemas of the API, kept apart from the domain classes in scheduler/."""
