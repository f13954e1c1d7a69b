"""The web application: the platform's API routes and pages, and every domain's, assembled in :func:`app.create_app`."""
