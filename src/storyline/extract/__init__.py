"""Extractors: each turns an article into facts that carry evidence spans."""
