"""The features layer: what people do with a check's result — the pull-request gate, scaffolding,
CODEOWNERS, deadlines and the calendar feed. Imports only from rules and core.
"""
