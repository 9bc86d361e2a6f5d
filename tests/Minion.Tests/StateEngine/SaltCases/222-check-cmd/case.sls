claims_success:
  test.succeed_with_changes:
    - check_cmd:
      - "false"
verified:
  test.succeed_with_changes:
    - check_cmd:
      - "true"
