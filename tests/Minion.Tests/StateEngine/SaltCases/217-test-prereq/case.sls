deploy:
  test.succeed_with_changes
stop_first:
  test.succeed_with_changes:
    - prereq:
      - test: deploy
