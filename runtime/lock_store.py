"""Rasa's Redis lock store with each change of a conversation's ticket lock made atomic.

Rasa 3.6's `RedisLockStore` reads a conversation's ticket lock, changes it in Python and
writes it back, in separate Redis calls. Two Rasa processes that take a ticket for the same
conversation at the same moment can both read "no ticket", both get ticket 0 and process the
conversation at once; one process can also delete the lock just after another added its
ticket. Behind nginx with no stickiness this happens (tests/scaled: a message answered but
missing from the tracker). Here every read-modify-write of one conversation's lock runs under
a short Redis mutex (redis-py's `Lock`: SET NX PX, released by a Lua script), so the ticket
order Rasa relies on holds across processes.

Configured in the scaled setup's endpoints (runtime/scaled.py):
`lock_store: {type: runtime.lock_store.AtomicRedisLockStore, url: …, port: …}`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# A change of the ticket lock is a few Redis calls: the mutex expires by itself if a process
# dies holding it, and a process waits a little longer than that before giving up.
MUTEX_LIFETIME_S = 5.0
MUTEX_WAIT_S = 10.0


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # loaded by module path from endpoints.yml
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url)
        super().__init__(**kwargs)

    def _mutex(self, conversation_id: str):
        # Outside the lock keys' namespace (they are key_prefix + conversation id).
        name = f"{self.key_prefix.rstrip(':')}-mutex:{conversation_id}"
        return self.red.lock(name, timeout=MUTEX_LIFETIME_S, blocking_timeout=MUTEX_WAIT_S)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._mutex(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().finish_serving(conversation_id, ticket_number)

    async def _acquire_lock(self, conversation_id: str, ticket: int,
                            wait_time_in_seconds: float) -> TicketLock:
        # Rasa's loop, except that a waiting ticket is renewed at each try. In Rasa 3.6 it is
        # not: when the process holding the lock dies (tests/scaled kills one), its ticket
        # expires LOCK_LIFETIME after it was taken, but the next ticket, taken just after,
        # expires at about the same time; the lock is left with no ticket, "now serving" 0,
        # and the waiting message waits until its request times out (120 s).
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self._renew_waiting_ticket(conversation_id, ticket)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def _renew_waiting_ticket(self, conversation_id: str, ticket_number: int) -> None:
        """Rasa's update_lock (expired tickets removed) with this live waiter's ticket given
        a new lifetime (put back in its place if it had expired)."""
        with self._mutex(conversation_id):
            lock = self.get_lock(conversation_id)
            if lock is None:
                return
            lock.remove_expired_tickets()
            expires = time.time() + LOCK_LIFETIME
            ticket = next((t for t in lock.tickets if t.number == ticket_number), None)
            if ticket is None:
                lock.tickets.append(Ticket(ticket_number, expires))
                lock.tickets.sort(key=lambda t: t.number)
            else:
                ticket.expires = expires
            self.save_lock(lock)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # One mutex for the three steps: nobody takes a ticket between "no one is waiting"
        # and the deletion of the lock.
        with self._mutex(conversation_id):
            LockStore.finish_serving(self, conversation_id, ticket_number)
            if not self.is_someone_waiting(conversation_id):
                self.delete_lock(conversation_id)
