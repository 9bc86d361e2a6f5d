demo_root: /tmp/orch-demo
admins:
  - name: alice
    shell: /bin/bash
  - name: bob
    shell: /bin/sh
