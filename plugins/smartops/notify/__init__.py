"""Notifications: channels, messages, notifiers (email and chat robots) and delivery, for alerts and reports.

    deliver(channel, message, policy) -> Delivery      send once with retries; never raises
"""
