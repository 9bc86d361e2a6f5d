changer:
  test.succeed_with_changes
deploy:
  test.succeed_without_changes:
    - watch:
      - test: changer
stop:
  test.succeed_with_changes:
    - prereq:
      - test: deploy
