"""Password hashing sized for a 2-core server (DESIGN.md "Scale path": 50 simultaneous users,
logins included, login p95 under 2 s).

Django's default PBKDF2 (1,000,000 SHA-256 rounds) costs about half a second of one core per
login: fifty officers signing in at 08:00 queue for half a minute. Argon2id with OWASP's
recommended minimum (19 MiB of memory, 2 passes, 1 lane) costs a few tens of milliseconds and,
being memory-hard, resists GPU guessing better than PBKDF2 does at the same time. Existing
PBKDF2 hashes stay valid and are rehashed with Argon2id at the user's next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19_456  # KiB = 19 MiB
    parallelism = 1
