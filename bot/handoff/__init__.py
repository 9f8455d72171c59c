"""From chat to advisor (issue 14): the household's project summary (« Mon récapitulatif »),
the callback request delivered to the advice desk through a durable outbox, and the
operator's dashboard figures. Rasa-free: the actions and the web server call these modules.
"""
