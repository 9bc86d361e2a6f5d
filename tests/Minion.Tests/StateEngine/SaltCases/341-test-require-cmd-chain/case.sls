a:
  cmd.run:
    - name: echo a
b:
  cmd.run:
    - name: echo b
    - require:
      - cmd: a
c:
  test.succeed_with_changes:
    - require:
      - cmd: b
