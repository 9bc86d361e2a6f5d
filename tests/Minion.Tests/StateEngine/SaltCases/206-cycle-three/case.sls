a:
  test.succeed_without_changes:
    - require:
      - test: b
b:
  test.succeed_without_changes:
    - require:
      - test: c
c:
  test.succeed_without_changes:
    - require:
      - test: a
after:
  test.nop
