"""gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

gunicorn itself reads WEB_CONCURRENCY (number of workers) and FORWARDED_ALLOW_IPS; PORT and
BIND choose where to listen.
"""

import os

bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Longer than a statement may run (DB_STATEMENT_TIMEOUT) plus a connection attempt
# (DB_CONNECT_TIMEOUT), so the database's own timeouts answer first with a 503; gunicorn
# only kills a worker that is stuck beyond both.
timeout = int(os.environ.get("DB_STATEMENT_TIMEOUT", "30")) + int(
    os.environ.get("DB_CONNECT_TIMEOUT", "5")
) + 10
graceful_timeout = 30
# The application logs one line per request itself (config/middleware/request_log.py).
accesslog = None
errorlog = "-"
# Workers load the code after forking: a worker never shares a database connection.
preload_app = False
