good:
  test.succeed_without_changes
bad:
  test.fail_without_changes
worse:
  test.fail_without_changes
all_mixed:
  test.succeed_with_changes:
    - onfail_all:
      - test: good
      - test: bad
all_failed:
  test.succeed_with_changes:
    - onfail_all:
      - test: bad
      - test: worse
