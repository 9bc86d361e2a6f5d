{#- salt/cloud/<name>/created: the new node's minion is connected (its key was accepted before it started). Configure
    it and put it behind the load balancers, in order, with an orchestration (states/orch/provisioned.sls). Map it in
    the master config:
      reactor:
        - 'salt/cloud/*/created':
          - /path/to/reactor/cloud-provisioned.sls #}
provision-{{ data['name'] }}:
  runner.state.orchestrate:
    - args:
      - mods: orch.provisioned
      - pillar:
          node: {{ data['name'] }}
