"""Models of the stakeholders app."""
