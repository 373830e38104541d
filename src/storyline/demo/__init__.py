"""The bundled demo corpus (``storyline demo``)."""
