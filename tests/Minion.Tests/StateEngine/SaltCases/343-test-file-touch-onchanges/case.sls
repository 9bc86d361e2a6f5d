t:
  file.touch:
    - name: /tmp/acc/343/new.txt
r:
  test.succeed_with_changes:
    - onchanges:
      - file: t
