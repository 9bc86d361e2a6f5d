deploy:
  test.succeed_with_changes
stop:
  test.fail_without_changes:
    - prereq:
      - test: deploy
