needs_sls:
  test.succeed_without_changes:
    - require:
      - sls: not_there
fine:
  test.nop
