"""QgsTask subclasses: the only place core and providers run off the GUI thread."""
