"""The core layer: plain data, strict loading, schema validation, settings and the policy text.

Imports nothing from the layers above (rules, features, outputs, cli).
"""
