a:
  cmd.run:
    - name: echo a
b:
  cmd.run:
    - name: echo b
    - onchanges:
      - cmd: a
c:
  cmd.run:
    - name: echo c
    - onchanges:
      - cmd: b
