"""The HTTP toolkit every router of the platform uses, below the domains and above the core.

One of each: the request's database session and signed-in user (:mod:`.deps`), the CSRF
check (:mod:`.csrf`), RFC 9457 problem details (:mod:`.problems`), pagination in SQL
(:mod:`.pagination`), uploads with a size limit and a checksum (:mod:`.uploads`), server-rendered
pages (:mod:`.pages`), GeoJSON responses and shared response models (:mod:`.schemas`).
Domains build their ``api/`` and ``pages/`` from these; the application itself is
:mod:`kotacerdas.web`.
"""
