target:
  test.fail_with_changes
handler:
  test.succeed_without_changes:
    - onfail:
      - test: target
