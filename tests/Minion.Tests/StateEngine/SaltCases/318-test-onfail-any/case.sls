ok:
  test.succeed_without_changes
pending:
  test.succeed_with_changes
handler:
  test.succeed_without_changes:
    - onfail_any:
      - test: ok
      - test: pending
