"""The Processing provider ``nadir`` and its algorithms (DESIGN.md F11)."""
