later:
  test.succeed_with_changes
first_one:
  test.succeed_without_changes:
    - order: first
    - require:
      - test: later
plain:
  test.nop
