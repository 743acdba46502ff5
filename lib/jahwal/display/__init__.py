"""Display helpers shared by the chapters: figure style, notebook tables and glue, and count
suppression.
"""
