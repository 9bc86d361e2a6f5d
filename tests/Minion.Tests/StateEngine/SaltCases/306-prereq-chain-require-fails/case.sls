c_base:
  test.fail_without_changes
b_deploy:
  test.succeed_with_changes:
    - require:
      - test: c_base
a_stop:
  test.succeed_with_changes:
    - prereq:
      - test: b_deploy
