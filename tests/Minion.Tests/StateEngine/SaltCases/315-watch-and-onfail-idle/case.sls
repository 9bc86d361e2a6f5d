changer:
  test.succeed_with_changes
ok:
  test.succeed_without_changes
handler:
  test.succeed_without_changes:
    - watch:
      - test: changer
    - onfail:
      - test: ok
