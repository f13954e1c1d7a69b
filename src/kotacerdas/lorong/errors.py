"""The one error type of Lorong Wisata and the other neighbourhood programmes."""

from kotacerdas.core.errors import KotacerdasError


class LorongError(KotacerdasError):
    """Bad input or a refused action in a neighbourhood programme (message id marked with ``N_``)."""
