a:
  test.succeed_with_changes
b:
  test.succeed_without_changes:
    - onchanges:
      - test: a
c:
  test.succeed_with_changes:
    - onchanges:
      - test: b
d:
  test.succeed_without_changes:
    - require:
      - test: c
