changer:
  test.succeed_with_changes
failer:
  test.fail_without_changes
watcher:
  test.succeed_without_changes:
    - watch_any:
      - test: changer
      - test: failer
