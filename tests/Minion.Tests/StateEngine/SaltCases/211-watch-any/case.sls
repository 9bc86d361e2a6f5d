broken:
  test.fail_without_changes
changer:
  test.succeed_with_changes
watcher:
  test.succeed_without_changes:
    - watch_any:
      - test: broken
      - test: changer
