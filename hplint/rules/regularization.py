"""Rules of this family are registered here."""
