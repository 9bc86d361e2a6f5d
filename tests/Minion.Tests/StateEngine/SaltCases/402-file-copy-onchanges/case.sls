src:
  file.managed:
    - name: /tmp/acc/402/src
    - contents: x
c:
  file.copy:
    - name: /tmp/acc/402/dst
    - source: /tmp/acc/402/src
    - require:
      - file: src
r:
  test.succeed_without_changes:
    - onchanges:
      - file: c
again:
  file.copy:
    - name: /tmp/acc/402/dst
    - source: /tmp/acc/402/src
    - require:
      - file: c
r2:
  test.succeed_without_changes:
    - onchanges:
      - file: again
