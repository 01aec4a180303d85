"""The HTTP layer every adapter uses: session, authenticators, error bodies, body transfer."""
