"""The register's pages, one module per page family."""
