"""The one place that knows every app: the URL routes, the read that gathers from all of them (a volunteer's
subject access export) and the demo data. It may import any app; no app's domain modules import it, only
edges (an admin action, a command) call it (docs/architecture.md)."""
