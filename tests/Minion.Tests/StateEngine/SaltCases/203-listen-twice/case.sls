listener:
  test.succeed_without_changes:
    - listen:
      - test: one
      - test: two
one:
  test.succeed_with_changes
two:
  test.succeed_with_changes
tail:
  test.nop
