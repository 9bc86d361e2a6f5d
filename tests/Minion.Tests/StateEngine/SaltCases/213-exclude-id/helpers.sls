dropped:
  test.fail_without_changes
kept:
  test.succeed_without_changes
