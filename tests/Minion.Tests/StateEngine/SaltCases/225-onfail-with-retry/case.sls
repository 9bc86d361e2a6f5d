flaky:
  test.fail_without_changes:
    - retry:
        attempts: 2
        interval: 0
rescue:
  test.succeed_with_changes:
    - onfail:
      - test: flaky
