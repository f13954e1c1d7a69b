"""Platform core: configuration, storage, geometry, authentication, i18n and errors."""
