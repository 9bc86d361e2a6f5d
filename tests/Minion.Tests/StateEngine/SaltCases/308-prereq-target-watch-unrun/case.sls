stop:
  test.succeed_with_changes:
    - prereq:
      - test: deploy
deploy:
  test.succeed_without_changes:
    - watch:
      - test: changer
changer:
  test.succeed_with_changes
