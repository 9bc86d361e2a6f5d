target:
  cmd.run:
    - name: echo target
listener:
  test.succeed_without_changes:
    - listen:
      - cmd: target
