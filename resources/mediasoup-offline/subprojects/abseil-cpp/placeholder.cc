/* Intentionally empty: the real library comes from the system. */
