"""Service concepts: file format, loading, import and versions."""
