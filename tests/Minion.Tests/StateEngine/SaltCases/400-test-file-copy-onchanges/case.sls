c:
  file.copy:
    - name: /tmp/acc/400/copy
    - source: /tmp/acc/400
r:
  test.succeed_with_changes:
    - onchanges:
      - file: c
