deploy:
  test.fail_without_changes
stop_before_deploy:
  test.succeed_with_changes:
    - prereq:
      - test: deploy
