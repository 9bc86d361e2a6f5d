changer:
  test.succeed_with_changes
watcher:
  cmd.run:
    - name: echo watcher
    - watch:
      - test: changer
