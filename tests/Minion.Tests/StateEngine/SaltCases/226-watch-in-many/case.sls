svc:
  test.succeed_without_changes
conf_a:
  test.succeed_without_changes:
    - watch_in:
      - test: svc
conf_b:
  test.succeed_with_changes:
    - watch_in:
      - test: svc
