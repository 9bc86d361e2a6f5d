db:
  max_connections: 200
  # Only db minions can read this: pillar is compiled and sealed per minion.
  password: not-a-real-secret
