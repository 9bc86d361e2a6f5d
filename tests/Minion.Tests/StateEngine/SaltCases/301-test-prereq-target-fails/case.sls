deploy:
  test.fail_without_changes
stop:
  test.succeed_with_changes:
    - prereq:
      - test: deploy
