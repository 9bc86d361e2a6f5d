stop1:
  test.succeed_with_changes:
    - prereq:
      - test: deploy
deploy:
  test.succeed_with_changes:
    - prereq_in:
      - test: stop2
stop2:
  test.succeed_with_changes
