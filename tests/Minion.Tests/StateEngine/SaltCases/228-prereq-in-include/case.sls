include:
  - app
maintenance_on:
  test.succeed_with_changes:
    - prereq:
      - sls: app
