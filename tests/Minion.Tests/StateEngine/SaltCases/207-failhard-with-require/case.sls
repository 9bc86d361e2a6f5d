base_ok:
  test.succeed_without_changes
dependent:
  test.succeed_with_changes:
    - require:
      - test: fatal
fatal:
  test.fail_without_changes:
    - failhard: True
never:
  test.nop
