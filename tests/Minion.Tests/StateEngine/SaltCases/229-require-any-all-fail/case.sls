a:
  test.fail_without_changes
b:
  test.fail_with_changes
needs_any:
  test.succeed_with_changes:
    - require_any:
      - test: a
      - test: b
