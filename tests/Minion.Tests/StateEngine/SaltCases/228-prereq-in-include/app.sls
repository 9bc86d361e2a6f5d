deploy_app:
  test.succeed_with_changes
