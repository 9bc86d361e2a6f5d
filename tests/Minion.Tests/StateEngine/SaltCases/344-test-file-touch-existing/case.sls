t:
  file.touch:
    - name: /tmp/acc/344
r:
  test.succeed_with_changes:
    - onchanges:
      - file: t
