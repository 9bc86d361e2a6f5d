a:
  test.succeed_with_changes
f:
  test.fail_without_changes
r:
  test.succeed_with_changes:
    - onchanges_any:
      - test: a
      - test: f
