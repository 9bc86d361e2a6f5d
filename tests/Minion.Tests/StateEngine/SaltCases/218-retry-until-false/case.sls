expected_failure:
  test.fail_without_changes:
    - retry:
        until: False
        attempts: 3
        interval: 0
