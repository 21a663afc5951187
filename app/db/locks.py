"""The keys of PostgreSQL's transaction-scoped advisory locks, in one place so that no two uses share one.

Lock order (ARCHITECTURE.md): round/participant, then group interview, then audit. Rate limits lock on their own
short transactions.
"""

from enum import IntEnum, unique


@unique
class LockKey(IntEnum):
    """The first (class) key of each advisory lock; the second key, where there is one, is a row id or a hash."""

    sticker_round = 70420  # (key, round id): shared by a sticker, exclusive when a round opens/closes/reveals
    participant = 70421  # (key, participant id): one participant's stickers one after another
    group_interview = 70422  # (key, interview id): live events in commit order (app.live.lock)
    rate_limit = 70430  # (key, hashtext(limit key)): app.shared_limits
    audit_chain = 7041977  # (key): the audit log's hash chain, one writer at a time
