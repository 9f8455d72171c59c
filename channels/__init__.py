"""Rasa input channels of the assistant: REST, socket.io (web widget) and Messenger.

Each one answers politely in French when a turn fails (see channels.common)."""
