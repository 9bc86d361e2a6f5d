f:
  test.fail_without_changes
p:
  test.succeed_with_changes
r:
  test.succeed_without_changes:
    - require_any:
      - test: f
      - test: p
