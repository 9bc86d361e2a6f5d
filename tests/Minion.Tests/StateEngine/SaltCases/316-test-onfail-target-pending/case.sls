target:
  test.succeed_with_changes
handler:
  test.succeed_with_changes:
    - onfail:
      - test: target
