failer:
  test.fail_without_changes
handler:
  test.succeed_with_changes:
    - onfail:
      - test: failer
