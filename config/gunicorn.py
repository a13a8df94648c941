"""gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

gunicorn itself reads WEB_CONCURRENCY (number of workers) and FORWARDED_ALLOW_IPS; PORT and
BIND choose where to listen.
"""

import os

bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Longer than a request's deadline (REQUEST_DEADLINE, default DB_STATEMENT_TIMEOUT + 5) plus
# one more connection attempt (DB_CONNECT_TIMEOUT), so the application answers a hung
# database with a 503 first; gunicorn only kills a worker stuck beyond all of them.
_statement = int(os.environ.get("DB_STATEMENT_TIMEOUT", "30"))
_deadline = int(os.environ.get("REQUEST_DEADLINE", str(_statement + 5)))
timeout = _deadline + int(os.environ.get("DB_CONNECT_TIMEOUT", "5")) + 10
graceful_timeout = 30
# The application logs one line per request itself (config/middleware/request_log.py).
accesslog = None
errorlog = "-"
# Workers load the code after forking: a worker never shares a database connection.
preload_app = False
