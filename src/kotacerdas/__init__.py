"""kotacerdas: an open-source smart-city platform run by the cities themselves.

Four systems on one platform: Road Manager (``roads``), Bike Sharing (``bikes``),
Lorong Wisata (``lorong``) and the ASEAN Smart Cities Network (``ascn``), over a
small ``core`` (config, storage, geometry, auth, i18n, errors).
"""

__version__ = "0.1.0"
