changer:
  test.succeed_with_changes
listener:
  cmd.run:
    - name: echo listener
    - listen:
      - test: changer
