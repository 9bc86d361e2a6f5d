deploy:
  test.succeed_without_changes
stop:
  test.succeed_with_changes:
    - prereq:
      - test: deploy
