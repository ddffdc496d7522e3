"""The application's own helper modules, shared by several functions of the evaluation set."""
