"""Accounts, log in and out, server-side sessions and API tokens."""
