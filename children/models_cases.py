"""Case-file details (assessment items, plan actions, attachments…), kept apart from
children/models.py for readability; imported at the end of children/models.py."""
