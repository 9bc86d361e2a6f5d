failer:
  test.fail_without_changes
pending:
  test.succeed_with_changes
handler:
  test.succeed_with_changes:
    - onfail_all:
      - test: failer
      - test: pending
