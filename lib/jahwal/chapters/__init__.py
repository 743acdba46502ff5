"""One module per page or chapter: Korean tables, figures and glue values for the notebooks."""
