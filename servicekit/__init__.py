"""What every dokdeling service process stands on: settings coercion, database engines, the
Celery broker, the worker heartbeat, /healthz, /metrics, the SOAP edge and the gunicorn server.

It knows no service: registry and repository import it, never the other way round.
"""
