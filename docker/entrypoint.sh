#!/bin/sh
# Container start: bring the database schema up to date, then run the command
# (gunicorn by default). Replicas starting together migrate one at a time:
# migrate_with_lock waits for a PostgreSQL advisory lock.
set -eu
python manage.py migrate_with_lock
exec "$@"
