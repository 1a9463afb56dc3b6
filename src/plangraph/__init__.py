"""plangraph: a knowledge graph of Vietnamese ward socio-economic development plans."""

__version__ = "0.1.0"
