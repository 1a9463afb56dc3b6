"""The plangraph ontology, vocabularies and SHACL shapes, shipped as package data."""
