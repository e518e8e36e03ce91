"""Views of the stakeholders app (thin: permissions, forms, services, templates)."""
